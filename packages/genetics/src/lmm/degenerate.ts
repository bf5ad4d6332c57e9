import { DegenerateScanError } from "../errors.js";
import type { NullModel } from "./nullModel.js";

/** Names for messages: the phenotype's and each covariate's (the intercept, when there is one, is first in W). */
export interface ScanNames {
  phenotype: string;
  covariates: string[];
  intercept: boolean;
}

/** Relative size below which a residual counts as zero (columns this collinear give no usable test). */
const COLLINEAR = 1e-9;

/**
 * Refuses, before the scan, the inputs for which no test can be defined: a phenotype whose variance
 * overflows or that is constant (or entirely explained by the covariates), and covariates that are zero,
 * constant next to the intercept, copies of another covariate or linear combinations of the others.
 */
export function checkScanInputs(y: Float64Array, W: Float64Array[], names: ScanNames): void {
  const phenotype = JSON.stringify(names.phenotype);
  let mean = 0, largest = 0;
  for (const v of y) {
    mean += v / y.length;
    largest = Math.max(largest, Math.abs(v));
  }
  let ss = 0;
  for (const v of y) ss += (v - mean) * (v - mean);
  if (!Number.isFinite(ss) || !Number.isFinite(mean)) {
    throw new DegenerateScanError("phenotype", `phenotype ${phenotype} has values as large as ${largest.toExponential(3)}: their variance overflows a double; rescale it (e.g. divide by 1e100)`, names.phenotype);
  }
  if (ss === 0 || ss <= 1e-24 * largest * largest * y.length) {
    throw new DegenerateScanError("phenotype", `phenotype ${phenotype} is constant (${+mean.toPrecision(12)}) over the ${y.length} analysed individuals: no association can be tested`, names.phenotype);
  }
  const label = (j: number) => (names.intercept && j === 0 ? "the intercept" : `covariate ${JSON.stringify(names.covariates[j - (names.intercept ? 1 : 0)] ?? `#${j}`)}`);
  const basis: Float64Array[] = [];
  W.forEach((column, j) => {
    const norm = Math.sqrt(dot(column, column));
    if (!(norm > 0)) throw new DegenerateScanError("covariate", `${label(j)} is zero in every analysed individual, so its effect cannot be estimated`, names.covariates[j - (names.intercept ? 1 : 0)]);
    const twin = W.findIndex((other, k) => k < j && other.every((v, i) => v === column[i]));
    if (twin >= 0) throw new DegenerateScanError("covariate", `${label(j)} is a copy of ${label(twin)} (listed twice?); drop one`, names.covariates[j - (names.intercept ? 1 : 0)]);
    const residual = orthogonalise(column, basis);
    if (Math.sqrt(dot(residual, residual)) <= COLLINEAR * norm) {
      const why = names.intercept && j > 0 && basis.length === 1 ? "is constant over the analysed individuals, which the intercept already covers" : "is a linear combination of the covariates before it";
      throw new DegenerateScanError("covariate", `${label(j)} ${why}; drop it`, names.covariates[j - (names.intercept ? 1 : 0)]);
    }
    basis.push(scale(residual, 1 / Math.sqrt(dot(residual, residual))));
  });
  const rest = orthogonalise(Float64Array.from(y, (v) => v - mean), basis);
  if (Math.sqrt(dot(rest, rest)) <= COLLINEAR * Math.sqrt(ss)) {
    throw new DegenerateScanError("phenotype", `phenotype ${phenotype} is entirely explained by the covariates: no variance is left to test SNPs against`, names.phenotype);
  }
}

/** Refuses a null model without usable estimates; `zeroEigenvalues === n` means the kinship is zero after centring. */
export function checkNullModel(nullModel: NullModel, zeroEigenvalues: number, n: number): void {
  if (zeroEigenvalues >= n) {
    throw new DegenerateScanError("kinship", `the kinship matrix is zero after centring (all ${n} eigenvalues are 0): it holds no relatedness for the mixed model; check the file, or use a linear model`);
  }
  const { lambdaReml, ve, vg } = nullModel;
  if (!Number.isFinite(lambdaReml) || !Number.isFinite(ve) || !Number.isFinite(vg) || !(ve > 0)) {
    throw new DegenerateScanError(
      "kinship",
      `the null model has no estimate with this kinship matrix (REML λ = ${lambdaReml}, σ²g = ${vg}, σ²e = ${ve}): every test would be undefined; ` +
        "a kinship proportional to the identity cannot separate σ²g from σ²e, and entries far from 1 in scale overflow; check the kinship file",
    );
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function scale(a: Float64Array, f: number): Float64Array {
  return a.map((v) => v * f);
}

/** `v` minus its projection on an orthonormal basis (twice, for accuracy). */
function orthogonalise(v: Float64Array, basis: Float64Array[]): Float64Array {
  const r = Float64Array.from(v);
  for (let pass = 0; pass < 2; pass++) {
    for (const q of basis) {
      const c = dot(r, q);
      for (let i = 0; i < r.length; i++) r[i] -= c * q[i];
    }
  }
  return r;
}
