// A random term with a known relationship matrix K, against GEMMA's null model on the reference
// cohort (test/reference/gwas): y ~ sex + (1 | iid) with Var(b) = σ²_g K, REML.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CovarianceMatrixError, heritability, lmm, NewLevelError } from "@lmm/core";
import { computeGrm } from "@lmm/genetics";
import { readPlinkFiles } from "@lmm/genetics/node";
import { referenceDir, relClose } from "../support/reference.js";

const gwas = join(referenceDir, "gwas");
const ids = readFileSync(join(gwas, "data", "geno.fam"), "utf8").trim().split("\n").map((l) => l.split(/\s+/)[1]);
// GEMMA's centred GRM of the cohort, computed from the .bed (the genetics tests prove it prints byte for byte as
// GEMMA's kin.cXX.txt, whose 10-decimal entries are exact here).
const K = (await computeGrm(await readPlinkFiles(join(gwas, "data", "geno")))).values;
const phenoLines = readFileSync(join(gwas, "data", "pheno.csv"), "utf8").trim().split("\n");
const header = phenoLines[0].split(",");
const rows = phenoLines.slice(1).map((l) => l.split(","));
const col = (name: string) => rows.map((r) => r[header.indexOf(name)]);
const pheno = { iid: col("iid"), y: col("y").map(Number), sex: col("sex").map(Number) };
const summary = JSON.parse(readFileSync(join(gwas, "results", "summary.json"), "utf8"));
const ref = summary.r_check.null_model;

describe("known covariance matrix on (1 | iid)", () => {
  const m = lmm("y ~ sex + (1 | iid)", pheno, { covariance: { iid: { ids, matrix: K } } });

  it("variance components and fixed effects equal GEMMA's null model (R re-check, full precision)", () => {
    const vc = m.varCorr();
    const vg = vc.terms[0].variance[0];
    const ve = vc.residual.variance;
    // θ and variance components at the core's 1e-3; fixed effects 1e-4, SEs 1e-3.
    expect(relClose(vg, ref.vg, 1e-3), `vg ${vg} vs ${ref.vg}`).toBe(true);
    expect(relClose(ve, ref.ve, 1e-3), `ve ${ve} vs ${ref.ve}`).toBe(true);
    const fe = m.fixef();
    fe.forEach((f, i) => {
      expect(relClose(f.estimate, ref.beta[i], 1e-4), `${f.name}`).toBe(true);
      expect(relClose(f.stdError, ref.se_beta[i], 1e-3), `se ${f.name}`).toBe(true);
    });
  });

  it("heritability and its standard error equal GEMMA's pve and se(pve)", () => {
    const h = heritability(m);
    expect(relClose(h.pve, ref.pve, 1e-3)).toBe(true);
    // GEMMA prints se(pve) with 6 significant digits.
    expect(relClose(h.sePve, summary.gemma_null_model.se_pve, 1e-3), `se(pve) ${h.sePve} vs ${summary.gemma_null_model.se_pve}`).toBe(true);
    expect(h.h2).toBeCloseTo(h.vg / (h.vg + h.ve), 12);
  });

  it("BLUPs (breeding values) exist for every id, and predict uses them", () => {
    const re = m.ranef()[0];
    expect(re.levels).toEqual(ids);
    const p = m.predict({ iid: [ids[0], ids[1]], sex: [0, 1] });
    const beta = m.beta;
    expect(p[0]).toBeCloseTo(beta[0] + re.values[0], 9);
    expect(p[1]).toBeCloseTo(beta[0] + beta[1] + re.values[1], 9);
    expect(() => m.predict({ iid: ["nobody"], sex: [0] })).toThrow(NewLevelError);
  });
});

describe("known covariance matrices that cannot be used", () => {
  const small = { g: ["a", "b", "c", "a", "b", "c"], y: [1, 2, 3, 2, 3, 5] };
  const fit = (matrix: number[] | number[][], idList = ["a", "b", "c"]) => lmm("y ~ 1 + (1 | g)", small, { covariance: { g: { ids: idList, matrix } } });
  it("not square, not symmetric, not PSD, ids not matching", () => {
    expect(() => fit([1, 0, 0, 1])).toThrow(/has 4 values for 3 ids/);
    expect(() => fit([[1, 0.5, 0], [0, 1, 0], [0, 0, 1]])).toThrow(/not symmetric: entries \(b, a\)/);
    expect(() => fit([[1, 2, 0], [2, 1, 0], [0, 0, 1]])).toThrow(/not positive semi-definite/);
    expect(() => fit([[1, 0], [0, 1]], ["a", "b"])).toThrow(/no row for 1 id of the data: "c"/);
    expect(() => fit([[1, 0, 0], [0, 1, 0], [0, 0, 1]], ["a", "a", "b"])).toThrow(/appears twice/);
    expect(() => lmm("y ~ 1 + (1 | g)", small, { covariance: { h: { ids: ["a"], matrix: [1] } } })).toThrow(CovarianceMatrixError);
  });
});
