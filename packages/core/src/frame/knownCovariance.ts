import { CovarianceMatrixError } from "../errors/covariance.js";
import { RandomEffectsError } from "../errors/data.js";
import { semidefiniteFactor } from "../numerics/dense/spd.js";
import type { RandomTermSpec } from "../formula/terms.js";
import type { ModelMatrixCoding, ModelMatrix } from "./modelMatrix.js";
import type { Factor } from "./variables.js";

/**
 * A known covariance among the levels of a grouping factor (a genetic relationship matrix K, or any
 * positive semi-definite matrix): Var(b) = σ²_g K for the term `(1 | id)`.
 */
export interface KnownCovariance {
  /** Level labels, in the order of the matrix rows. */
  ids: readonly string[];
  /** The q × q matrix, row-major (or an array of rows). */
  matrix: ArrayLike<number> | readonly ArrayLike<number>[];
}

/** A validated known covariance: ids and the lower factor S with K = S S'. */
export interface CovarianceStructure {
  ids: string[];
  /** Row-major q × q lower-triangular factor. */
  factor: Float64Array;
}

/** Pivots below this fraction of the largest diagonal are taken as exact zeros (K may be singular, e.g. a centred GRM). */
const PSD_TOLERANCE = 1e-10;

/**
 * Checks a known covariance (square, finite, symmetric, positive semi-definite, unique ids) and
 * factors it as K = S S' by a semi-definite Cholesky factorisation.
 */
export function factorCovariance(group: string, k: KnownCovariance): CovarianceStructure {
  const ids = Array.from(k.ids, String);
  const q = ids.length;
  if (q === 0) throw new CovarianceMatrixError(group, "has no ids");
  if (new Set(ids).size !== q) {
    const seen = new Set<string>();
    const dup = ids.find((id) => (seen.has(id) ? true : (seen.add(id), false)))!;
    throw new CovarianceMatrixError(group, `id ${JSON.stringify(dup)} appears twice`, [dup]);
  }
  const a = readSquare(group, k.matrix, q);
  let scale = 0;
  for (let i = 0; i < q * q; i++) scale = Math.max(scale, Math.abs(a[i]));
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(a[i * q + j] - a[j * q + i]) > 1e-8 * Math.max(scale, 1e-300)) {
        throw new CovarianceMatrixError(group, `is not symmetric: entries (${ids[i]}, ${ids[j]}) and (${ids[j]}, ${ids[i]}) differ`, [ids[i], ids[j]]);
      }
    }
  }
  return { ids, factor: semidefiniteCholesky(group, a, q, ids) };
}

function readSquare(group: string, m: KnownCovariance["matrix"], q: number): Float64Array {
  const out = new Float64Array(q * q);
  const rows = m as readonly ArrayLike<number>[];
  const nested = m.length > 0 && typeof rows[0] === "object" && rows[0] !== null;
  if (nested) {
    if (m.length !== q) throw new CovarianceMatrixError(group, `has ${m.length} rows for ${q} ids; it must be square with one row per id`);
    for (let i = 0; i < q; i++) {
      if (rows[i].length !== q) throw new CovarianceMatrixError(group, `row ${i + 1} has ${rows[i].length} values for ${q} ids; it must be square`);
      for (let j = 0; j < q; j++) out[i * q + j] = rows[i][j];
    }
  } else {
    if (m.length !== q * q) throw new CovarianceMatrixError(group, `has ${m.length} values for ${q} ids; a square matrix needs ${q * q}`);
    for (let i = 0; i < q * q; i++) out[i] = (m as ArrayLike<number>)[i];
  }
  for (let i = 0; i < q * q; i++) if (!Number.isFinite(out[i])) throw new CovarianceMatrixError(group, `entry (row ${Math.floor(i / q) + 1}, column ${(i % q) + 1}) is not a finite number`);
  return out;
}

/** K = S S' with S lower; zero pivots (within tolerance) give zero columns; a negative pivot means K is not PSD. */
function semidefiniteCholesky(group: string, a: Float64Array, q: number, ids: string[]): Float64Array {
  let maxDiag = 0;
  for (let i = 0; i < q; i++) maxDiag = Math.max(maxDiag, a[i * q + i]);
  const { factor, negative } = semidefiniteFactor(a, q, PSD_TOLERANCE * Math.max(maxDiag, 1e-300) * q);
  if (negative >= 0) throw new CovarianceMatrixError(group, `is not positive semi-definite (the factorisation fails at id ${JSON.stringify(ids[negative])})`, [ids[negative]]);
  return factor;
}

/**
 * The model matrix of `(1 | id)` with a known covariance: one pseudo-level holding q columns, row i of Z
 * being row id(i) of S. Then b = S b*, b* ~ N(0, σ²θ² I), and the ordinary machinery applies with
 * the template θ·I.
 */
export function structuredModelMatrix(spec: RandomTermSpec, coding: ModelMatrixCoding, group: Factor, structure: CovarianceStructure): { z: ModelMatrix; group: Factor } {
  const { ids, factor } = structure;
  const q = ids.length;
  if (!coding.intercept || coding.terms.length > 0) {
    throw new RandomEffectsError(spec.text, spec.groupLabel, "a known covariance matrix applies to a random intercept (1 | id) only");
  }
  const index = new Map(ids.map((id, i) => [id, i]));
  const missing = group.levels.filter((l) => !index.has(l));
  if (missing.length > 0) {
    throw new CovarianceMatrixError(spec.groupLabel, `has no row for ${missing.length} id${missing.length > 1 ? "s" : ""} of the data: ${missing.slice(0, 5).map((m) => JSON.stringify(m)).join(", ")}${missing.length > 5 ? ", …" : ""}`, missing);
  }
  const n = group.codes.length;
  const data = new Float64Array(n * q);
  const rowOfLevel = Int32Array.from(group.levels, (l) => index.get(l)!);
  for (let i = 0; i < n; i++) {
    const r = rowOfLevel[group.codes[i]] * q;
    for (let c = 0; c <= rowOfLevel[group.codes[i]]; c++) data[c * n + i] = factor[r + c];
  }
  return {
    z: { n, p: q, data, names: ids, assign: new Int32Array(q), coding },
    group: { levels: [spec.groupLabel], codes: new Int32Array(n) },
  };
}
