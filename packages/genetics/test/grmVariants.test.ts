import { describe, expect, it } from "vitest";
import { computeGrm, formatG, locoGrms, parseKinship, kinshipLines, readPlink, MalformedLineError, DimensionMismatchError } from "../src/index.js";
import { readFileSync } from "node:fs";
import { cohortData } from "./referencePaths.js";

const g = await readPlink({ bed: readFileSync(cohortData("cohort.bed")), bim: readFileSync(cohortData("cohort.bim"), "utf8"), fam: readFileSync(cohortData("cohort.fam"), "utf8") });

// Direct definitions, computed naively here, so the blocked kernels are checked against the formulas.
function naiveGrm(kind: "centered" | "standardized" | "gcta", include: (k: number) => boolean, rows: number[]) {
  const n = rows.length;
  const K = new Float64Array(n * n);
  const diag = new Float64Array(n);
  const x = new Float64Array(g.nIndividuals);
  let m = 0;
  for (let k = 0; k < g.nSnps; k++) {
    if (!include(k)) continue;
    g.read(k, 1, x);
    const v = rows.map((i) => x[i]);
    const p = v.reduce((a, b) => a + b, 0) / (2 * n);
    if (Math.min(p, 1 - p) < 0.01) continue;
    m++;
    const sd = kind === "centered" ? 1 : Math.sqrt(2 * p * (1 - p));
    const z = v.map((a) => (a - 2 * p) / sd);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) K[i * n + j] += z[i] * z[j];
    if (kind === "gcta") for (let i = 0; i < n; i++) diag[i] += (v[i] * v[i] - (1 + 2 * p) * v[i] + 2 * p * p) / (2 * p * (1 - p));
  }
  for (let i = 0; i < K.length; i++) K[i] /= m;
  if (kind === "gcta") for (let i = 0; i < n; i++) K[i * n + i] = 1 + diag[i] / m;
  return { K, m };
}

const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((w, v, i) => Math.max(w, Math.abs(v - b[i])), 0);

describe("relationship matrices", () => {
  const rows = Array.from({ length: 60 }, (_, i) => i * 10);
  const firstChr = (k: number) => g.snps.chromosome[k] === "1";
  // Same sums in a different order: rounding ~1e-16 per term, 1e-12 absolute is ample for entries of order 1.
  for (const kind of ["centered", "standardized", "gcta"] as const) {
    it(`${kind} GRM equals its definition`, async () => {
      const K = await computeGrm(g, { kind, rows: Int32Array.from(rows), include: firstChr });
      const ref = naiveGrm(kind, firstChr, rows);
      expect(K.nSnps).toBe(ref.m);
      expect(maxDiff(K.values, ref.K)).toBeLessThan(1e-12);
    });
  }

  it("leave-one-chromosome-out matrices equal the GRM of the other chromosomes", async () => {
    const sub = Int32Array.from(rows);
    const seen: string[] = [];
    for await (const { chromosome, kinship } of locoGrms(g, { rows: sub })) {
      seen.push(chromosome);
      const ref = naiveGrm("centered", (k) => g.snps.chromosome[k] !== chromosome, rows);
      expect(kinship.nSnps).toBe(ref.m);
      expect(maxDiff(kinship.values, ref.K)).toBeLessThan(1e-12);
    }
    expect(seen).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("GEMMA's text format round-trips and bad matrices are refused", () => {
    expect(formatG(4.60817e-5)).toBe("4.60817e-05");
    expect(formatG(-0.0101637183)).toBe("-0.0101637183");
    expect(formatG(0.38758088171234)).toBe("0.3875808817");
    expect(formatG(1234567890123)).toBe("1.234567890e+12".replace(/0+e/, "e"));
    const K = { n: 2, values: Float64Array.of(1, 0.25, 0.25, 1.5) };
    const text = [...kinshipLines(K)].join("\n");
    expect(parseKinship(text).values).toEqual(K.values);
    expect(() => parseKinship("1 0.5\n0.4 1\n")).toThrow(/not symmetric/);
    expect(() => parseKinship("1 0.5\n0.5\n")).toThrow(MalformedLineError);
    expect(() => parseKinship("1 x\nx 1\n")).toThrow(/"x" is not a number/);
    expect(() => parseKinship("1\n", { n: 2 })).toThrow(DimensionMismatchError);
  });
});
