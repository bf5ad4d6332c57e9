// The whole reference pipeline against GEMMA 0.98.5 and plink2 outputs (test/reference/gwas):
// GRM = GEMMA's kin.cXX, null model = lmm.log.txt, every SNP's beta/se/λ/p = lmm.assoc.txt, λGC per method
// = summary.json, naive and PC regressions = plink2 --glm. One scan of all 10 000 SNPs (in a 2-worker pool)
// is shared by the checks.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  computeGrm, createScanPool, genomicControl, kinshipLines, linearScan, lmmScan, principalComponents,
  type Kinship, type LmmScanResult, type PackedGenotypes,
} from "../src/index.js";
import { readPlinkFiles } from "../src/node.js";
import { gwasRef, halfUnit, readTsv, referencePhenotype } from "./referencePaths.js";

let g: PackedGenotypes;
let K: Kinship;
let scan: LmmScanResult;
const pool = createScanPool({ size: 2 });
const { y, sex } = referencePhenotype();
const summary = JSON.parse(readFileSync(gwasRef("results/summary.json"), "utf8"));

beforeAll(async () => {
  g = await readPlinkFiles(gwasRef("data/geno"));
  K = await computeGrm(g);
  scan = await lmmScan({ genotypes: g, phenotype: y, covariates: [sex], kinship: K, pool });
}, 120_000);
afterAll(() => pool.close());

describe("GRM (GEMMA -gk 1)", () => {
  it("equals kin.cXX.txt entry by entry and prints the same text", () => {
    // The repository keeps GEMMA's first 20 rows and the SHA-256 of its whole 13.6 MB text (pack.sh).
    const { header, rows } = readTsv(gwasRef("results/gemma/kin.cXX.head.txt.gz"));
    const gemma = [header, ...rows];
    expect(gemma.length).toBe(20);
    // GEMMA prints 10 significant digits; all entries are below 1, so a printed value is within half a unit of
    // its 10th decimal (5e-11) of GEMMA's double. (Here they are exact: dosage means are multiples of 1e-3 and
    // m = 10 000, so Xc Xcᵀ/m is a multiple of 1e-10.)
    let worst = 0;
    gemma.forEach((row, i) => row.forEach((v, j) => { worst = Math.max(worst, Math.abs(K.values[i * 1000 + j] - Number(v))); }));
    expect(worst).toBeLessThanOrEqual(5e-11);
    const hash = createHash("sha256");
    let i = 0;
    for (const line of kinshipLines(K)) {
      if (i < gemma.length) expect(line).toBe(gemma[i].join("\t"));
      hash.update(line + "\n");
      i++;
    }
    expect(i).toBe(1000);
    expect(hash.digest("hex")).toBe(readFileSync(gwasRef("results/gemma/kin.cXX.sha256"), "utf8").trim());
  });
});

describe("LMM scan (GEMMA -lmm 4)", () => {
  it("fits GEMMA's null model (lmm.log.txt, 6 significant digits)", () => {
    const log = readFileSync(gwasRef("results/gemma/lmm.log.txt"), "utf8");
    const field = (label: string) => log.match(new RegExp(`^## ${label} = (.*)$`, "m"))![1].trim().split(/\s+/);
    const nm = scan.nullModel;
    const check = (ours: number, printed: string) => expect(Math.abs(ours - Number(printed))).toBeLessThanOrEqual(halfUnit(printed) + 1e-9 * Math.abs(ours));
    check(nm.logLikReml, field("REMLE log-likelihood in the null model")[0]);
    check(nm.logLikMl, field("MLE log-likelihood in the null model")[0]);
    check(nm.pve, field("pve estimate in the null model")[0]);
    check(nm.pveSe, field("se\\(pve\\) in the null model")[0]);
    check(nm.vg, field("vg estimate in the null model")[0]);
    check(nm.ve, field("ve estimate in the null model")[0]);
    field("beta estimate in the null model").forEach((b, j) => check(nm.beta[j], b));
    field("se\\(beta\\)").forEach((b, j) => check(nm.betaSe[j], b));
    // λ itself is not in the log; the R re-check in summary.json reports it (independent implementation, ~1e-6).
    expect(Math.abs(nm.lambdaReml / summary.r_check.null_model.lambda_remle - 1)).toBeLessThan(1e-5);
    expect(Math.abs(nm.lambdaMl / summary.r_check.null_lambda_mle - 1)).toBeLessThan(1e-5);
  });

  it("reproduces every SNP of lmm.assoc.txt to GEMMA's printed precision", () => {
    const { header, rows } = readTsv(gwasRef("results/gemma/lmm.assoc.txt.gz"));
    const col = (name: string) => header.indexOf(name);
    expect(scan.snpIndex.length).toBe(rows.length);
    const causal = new Set<string>(summary.truth.causal_snps);
    let causalSeen = 0;
    const worst: Record<string, number> = {};
    rows.forEach((r, p) => {
      expect(g.snps.id[scan.snpIndex[p]]).toBe(r[col("rs")]);
      if (causal.has(r[col("rs")])) causalSeen++;
      const se = scan.se[p];
      // GEMMA prints %.6e (7 significant digits): the printed value is within half a unit of its last digit of
      // GEMMA's double. Beyond that we allow 1e-8 relative (1e-8 of se for beta, whose absolute error scales with
      // se): our λ follows GEMMA's Brent/Newton iterates, so only rounding differences (~1e-12) remain.
      const cases: [string, number, number][] = [
        ["beta", scan.beta[p], 1e-8 * Math.max(se, Math.abs(scan.beta[p]))],
        ["se", se, 1e-8 * se],
        ["logl_H1", scan.logLikH1[p], 1e-8 * Math.abs(scan.logLikH1[p])],
        ["l_remle", scan.lambdaReml[p], 1e-8 * scan.lambdaReml[p]],
        ["l_mle", scan.lambdaMl[p], 1e-8 * scan.lambdaMl[p]],
        ["p_wald", scan.pWald[p], 1e-8 * scan.pWald[p]],
        // p_lrt is a function of logL₁ − logL₀ (both ≈ −1335): rounding of ~1e-12 relative in them moves the
        // statistic by ~3e-9, which moves p by that times the χ²₁ density, large when the statistic is near 0.
        ["p_lrt", scan.pLrt[p], 1e-8 * scan.pLrt[p] + 3e-9 * chiSquare1Density(2 * (scan.logLikH1[p] - scan.nullModel.logLikMl))],
        ["p_score", scan.pScore[p], 1e-8 * scan.pScore[p]],
      ];
      for (const [name, ours, slack] of cases) {
        const printed = r[col(name)];
        const excess = Math.abs(ours - Number(printed)) - halfUnit(printed) - slack;
        worst[name] = Math.max(worst[name] ?? -Infinity, excess);
        if (name.startsWith("p_") && Number(printed) > 1e-300) {
          // The criterion, much looser than the one above: log10 p within 1e-3.
          expect(Math.abs(Math.log10(ours) - Math.log10(Number(printed)))).toBeLessThanOrEqual(1e-3);
        }
      }
    });
    for (const [name, excess] of Object.entries(worst)) expect(excess, name).toBeLessThanOrEqual(0);
    expect(causalSeen).toBe(10);
  });

  it("gives GEMMA's λGC for the Wald, LRT and score tests (summary.json)", () => {
    // summary.json computed λGC from GEMMA's printed p (7 digits); χ²₁ quantiles near the median move by
    // ~1e-6 relative for that rounding, so 1e-5 relative is the tolerance.
    expect(genomicControl(scan.pWald) / summary.methods.gemma_wald.lambda_gc - 1).toBeCloseTo(0, 5);
    expect(genomicControl(scan.pLrt) / summary.methods.gemma_lrt.lambda_gc - 1).toBeCloseTo(0, 5);
    expect(genomicControl(scan.pScore) / summary.methods.gemma_score.lambda_gc - 1).toBeCloseTo(0, 5);
  });

  it("approximate mode keeps λ at the null REML value and shares the score test", async () => {
    const snps = Array.from({ length: 200 }, (_, k) => k * 50);
    const approx = await lmmScan({ genotypes: g, phenotype: y, covariates: [sex], kinship: K, snps, mode: "approximate" });
    expect(approx.mode).toBe("approximate");
    for (let p = 0; p < approx.snpIndex.length; p++) {
      const full = scan.snpIndex.indexOf(approx.snpIndex[p]);
      expect(approx.lambdaReml[p]).toBe(scan.nullModel.lambdaReml);
      expect(Math.abs(approx.pScore[p] / scan.pScore[full] - 1)).toBeLessThan(1e-10);
      // λ per SNP moves little from the null value, so the Wald p-values stay close (not equal).
      expect(Math.abs(Math.log10(approx.pWald[p]) - Math.log10(scan.pWald[full]))).toBeLessThan(0.05);
    }
  });
});

/** Density of χ²₁ at x (capped where it diverges at 0: a p-value cannot move by more than 1). */
function chiSquare1Density(x: number): number {
  return Math.min(1e9, Math.exp(-x / 2) / Math.sqrt(2 * Math.PI * Math.max(x, 1e-300)));
}

describe("naive and PC regression (plink2 --glm)", () => {
  const plink = (file: string) => {
    const { header, rows } = readTsv(gwasRef(`results/plink2/${file}.gz`));
    return { beta: rows.map((r) => r[header.indexOf("BETA")]), se: rows.map((r) => r[header.indexOf("SE")]), p: rows.map((r) => r[header.indexOf("P")]) };
  };
  // plink2 prints 6 significant digits; allow half a unit of the last one plus 1e-8 relative for rounding.
  const close = (ours: number, printed: string, scale = Math.abs(ours)) => Math.abs(ours - Number(printed)) <= halfUnit(printed) + 1e-8 * scale;
  // plink2's p-values come from its own t-tail code, whose values differ from the exact tail (stdlib's
  // incomplete beta here) by up to ~1e-7 relative: 2e-7 relative on top of the printed precision.
  const closeP = (ours: number, printed: string) => Math.abs(ours - Number(printed)) <= halfUnit(printed) + 2e-7 * ours;

  it("naive y ~ sex + SNP matches plink2, and its λGC matches summary.json", () => {
    const naive = linearScan({ genotypes: g, phenotype: y, covariates: [sex] });
    const ref = plink("naive.y.glm.linear");
    expect(naive.snpIndex.length).toBe(ref.beta.length);
    naive.snpIndex.forEach((_, p) => {
      expect(close(naive.beta[p], ref.beta[p], naive.se[p])).toBe(true);
      expect(close(naive.se[p], ref.se[p])).toBe(true);
      expect(closeP(naive.p[p], ref.p[p])).toBe(true);
    });
    // λGC from p printed with 6 digits: 5e-5 relative.
    expect(Math.abs(genomicControl(naive.p) / summary.methods.naive_sex.lambda_gc - 1)).toBeLessThan(5e-5);
  });

  it("regression on plink2's PCs (covar_sex_pc10.txt) matches pc10.y.glm.linear", () => {
    const { header, rows } = readTsv(gwasRef("results/plink2/covar_sex_pc10.txt"));
    const theirs = Array.from({ length: 10 }, (_, j) => Float64Array.from(rows, (r) => Number(r[header.indexOf(`PC${j + 1}`)])));
    const pc = linearScan({ genotypes: g, phenotype: y, covariates: [sex], analysedCovariates: theirs });
    const ref = plink("pc10.y.glm.linear");
    pc.snpIndex.forEach((_, p) => {
      expect(close(pc.beta[p], ref.beta[p], pc.se[p])).toBe(true);
      expect(close(pc.se[p], ref.se[p])).toBe(true);
      expect(closeP(pc.p[p], ref.p[p])).toBe(true);
    });
  });

  it("computes plink2's PCs (variance-standardised GRM), and PC regression on them gives plink2's λGC", async () => {
    const pcs = await principalComponents(g, { k: 10 });
    const eigenval = readFileSync(gwasRef("results/plink2/pca.eigenval"), "utf8").trim().split("\n");
    eigenval.forEach((v, j) => expect(Math.abs(pcs.values[j] - Number(v))).toBeLessThanOrEqual(halfUnit(v) + 1e-9 * pcs.values[j]));
    const { header, rows } = readTsv(gwasRef("results/plink2/pca.eigenvec"));
    const theirs = Array.from({ length: 10 }, (_, j) => Float64Array.from(rows, (r) => Number(r[header.indexOf(`PC${j + 1}`)])));
    // PC1 and PC2 stand out (eigenvalues 37.9, 29.3): the same vectors up to sign, to plink2's printed digits.
    for (let j = 0; j < 2; j++) {
      const sign = Math.sign(theirs[j][0] * pcs.vectors[j][0]);
      theirs[j].forEach((v, i) => expect(Math.abs(sign * pcs.vectors[j][i] - v)).toBeLessThanOrEqual(halfUnit(rows[i][header.indexOf(`PC${j + 1}`)]) + 1e-9));
    }
    // PCs 3–10 are nearly tied (2.63 … 2.51), so compare spans: every plink2 PC lies in our 10-PC span up to
    // the rounding of its printed entries (relative 5e-6 of ~0.03 over 1000 entries: residual norm < 1e-4).
    for (const v of theirs) {
      const r = Float64Array.from(v);
      for (const q of pcs.vectors) { let d = 0; for (let i = 0; i < r.length; i++) d += q[i] * v[i]; for (let i = 0; i < r.length; i++) r[i] -= d * q[i]; }
      expect(Math.sqrt(r.reduce((a, b) => a + b * b, 0))).toBeLessThan(1e-4);
    }
    const pc = linearScan({ genotypes: g, phenotype: y, covariates: [sex], analysedCovariates: pcs.vectors });
    expect(Math.abs(genomicControl(pc.p) / summary.methods.pc10_sex.lambda_gc - 1)).toBeLessThan(5e-5);
  });
});
