import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { AbortedError } from "@lmm/core";
import { computeGrm, createScanPool, lmmScan, DimensionMismatchError, NotPositiveSemidefiniteError } from "../src/index.js";
import { readPlinkFiles } from "../src/node.js";
import { cohortData } from "./referencePaths.js";

const g = await readPlinkFiles(cohortData("cohort"));
const rows = readFileSync(cohortData("cohort.pheno.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
const y = Float64Array.from(rows, (r) => Number(r[1])), sex = Float64Array.from(rows, (r) => Number(r[2]));
const K = await computeGrm(g);
const pool = createScanPool({ size: 2 });
afterAll(() => pool.close());
const snps = Array.from({ length: 400 }, (_, k) => k * 7);

describe("scan blocks in workers", () => {
  it("gives the same results in a 2-worker pool as in this thread, with progress", async () => {
    const progress: number[] = [];
    const inline = await lmmScan({ genotypes: g, phenotype: y, covariates: [sex], kinship: K, snps, blockSize: 64, onProgress: (d) => progress.push(d) });
    const pooled = await lmmScan({ genotypes: g, phenotype: y, covariates: [sex], kinship: K, snps, blockSize: 64, pool });
    expect(Array.from(pooled.pWald)).toEqual(Array.from(inline.pWald));
    expect(Array.from(pooled.lambdaMl)).toEqual(Array.from(inline.lambdaMl));
    expect(progress.at(-1)).toBe(400);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  }, 60_000);

  it("computes the relationship matrix in bands of rows in the workers, equal to the one-thread matrix to the last bit", async () => {
    const sub = Int32Array.from({ length: 597 }, (_, i) => (i * 7) % 600);
    const include = (k: number) => k % 3 !== 1;
    // All individuals: the bands are read straight from the .bed bytes into the kernel's panels.
    const cases = (["centered", "standardized", "gcta"] as const).flatMap((kind) => [{ kind, rows: sub }, { kind, rows: undefined }]);
    for (const { kind, rows } of cases) {
      const progress: number[] = [];
      const inline = await computeGrm(g, { kind, rows, include });
      const pooled = await computeGrm(g, { kind, rows, include, pool, onProgress: (d) => progress.push(d) });
      expect(pooled.nSnps).toBe(inline.nSnps);
      let differing = 0; // counted, not diffed: a 597² array diff would swamp the report
      for (let i = 0; i < inline.values.length; i++) if (!Object.is(pooled.values[i], inline.values[i])) differing++;
      expect(differing).toBe(0);
      expect(progress.at(-1)).toBe(g.nSnps);
    }
  }, 60_000);

  it("loads the eigen-decomposition's modules in a worker at its first task when no load was sent ahead", async () => {
    // A fresh pool's workers start with the relationship matrix's code alone (scanWorker.ts).
    const { kinshipEigen } = await import("../src/lmm/prepare.js");
    const fresh = createScanPool({ size: 2 });
    try {
      const inline = await kinshipEigen(K.values.slice(), K.n);
      const pooled = await kinshipEigen(K.values.slice(), K.n, fresh);
      expect(fresh.workerCount).toBeGreaterThan(0);
      expect(Array.from(pooled.eigen.values)).toEqual(Array.from(inline.eigen.values));
      let differing = 0;
      for (let i = 0; i < inline.eigen.vectors.length; i++) if (!Object.is(pooled.eigen.vectors[i], inline.eigen.vectors[i])) differing++;
      expect(differing).toBe(0);
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it("stops on abort with AbortedError", async () => {
    const controller = new AbortController();
    const run = lmmScan({ genotypes: g, phenotype: y, covariates: [sex], kinship: K, snps, blockSize: 16, signal: controller.signal, onProgress: (d) => { if (d >= 32) controller.abort(); } });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
  });

  it("drops individuals with missing phenotype or covariates and refuses bad kinships", async () => {
    const yMissing = y.slice(); yMissing[3] = NaN;
    const sexMissing = sex.slice(); sexMissing[5] = NaN;
    const r = await lmmScan({ genotypes: g, phenotype: yMissing, covariates: [sexMissing], kinship: K, snps: [0, 1] });
    expect(r.nDropped).toBe(2);
    expect(r.rows).toHaveLength(598);
    await expect(lmmScan({ genotypes: g, phenotype: y.subarray(1), snps: [0] })).rejects.toThrow(DimensionMismatchError);
    const negative = { ...K, values: K.values.map((v, i) => (i % 601 === 0 ? v - 5 : v)) };
    await expect(lmmScan({ genotypes: g, phenotype: y, kinship: negative, snps: [0] })).rejects.toThrow(NotPositiveSemidefiniteError);
  });
});
