import { RandomEffectsError } from "../errors/data.js";
import type { RandomTermSpec } from "../formula/terms.js";
import { ModelSizeError } from "../errors/formula.js";
import { buildModelMatrix, codedColumns, codeTerms, MAX_FIXED_COLUMNS, MAX_FIXED_ENTRIES, type ModelMatrixCoding, type ModelMatrix } from "./modelMatrix.js";
import { independentColumns } from "./rank.js";
import type { ModelFrame } from "./ModelFrame.js";
import type { Factor } from "./variables.js";
import { factorCovariance, structuredModelMatrix, type CovarianceStructure, type KnownCovariance } from "./knownCovariance.js";

/** One random-effects term as lme4 sees it: its columns (Z before Λ) and its grouping factor. */
export interface RandomTermMatrix {
  spec: RandomTermSpec;
  coding: ModelMatrixCoding;
  /** n × k model matrix of the term's left side. */
  z: ModelMatrix;
  group: Factor;
  /** Present when the term's levels have a known covariance: then z has one column per id and `group` one pseudo-level. */
  structure?: CovarianceStructure;
}

/**
 * Builds every random term's model matrix and grouping factor, and applies lme4's checks: a grouping
 * factor needs at least two levels and fewer levels than observations, and a term needs fewer
 * random effects than observations.
 */
export function buildRandomTerms(frame: ModelFrame, covariance: Readonly<Record<string, KnownCovariance>> = {}): RandomTermMatrix[] {
  return frame.spec.random.map((spec) => {
    const group = interactionFactor(spec.group.map((g) => frame.factors.get(g)!));
    const source = frameSource(frame);
    const coding = codeTerms(spec.lhs, source, frame.contrasts);
    if (Object.prototype.hasOwnProperty.call(covariance, spec.groupLabel)) {
      const structure = factorCovariance(spec.groupLabel, covariance[spec.groupLabel]);
      return { spec, coding, ...structuredModelMatrix(spec, coding, group, structure), structure };
    }
    const k = codedColumns(coding);
    if (k > MAX_FIXED_COLUMNS || k * frame.n > MAX_FIXED_ENTRIES) {
      throw new ModelSizeError("random-effect columns", k, MAX_FIXED_COLUMNS, `random term ${JSON.stringify(spec.text)} has ${k} columns per level of ${spec.groupLabel}; at most ${MAX_FIXED_COLUMNS} columns (and ${MAX_FIXED_ENTRIES} entries over the rows) are supported`);
    }
    const z = buildModelMatrix(coding, frame.n, source);
    checkLevelCount(spec, group.levels.length, frame.n);
    checkIdentifiable(spec, z, group);
    checkEffectCount(spec, group.levels.length * z.p, frame.n);
    return { spec, coding, z, group };
  });
}

/** lme4's checks of a grouping factor's levels: at least 2, fewer than the observations. */
export function checkLevelCount(spec: RandomTermSpec, nl: number, n: number): void {
  if (nl < 2) throw new RandomEffectsError(spec.text, spec.groupLabel, `grouping factor ${JSON.stringify(spec.groupLabel)} has only ${nl} level in the data used; it needs at least 2`);
  if (nl >= n) {
    throw new RandomEffectsError(spec.text, spec.groupLabel, `grouping factor ${JSON.stringify(spec.groupLabel)} has ${nl} levels for ${n} observations; the number of levels must be less than the number of observations`);
  }
}

/** lme4's check of a term's random effects (levels × columns): fewer than the observations. */
export function checkEffectCount(spec: RandomTermSpec, q: number, n: number): void {
  if (q >= n) throw new RandomEffectsError(spec.text, spec.groupLabel, `${q} random effects for ${n} observations; the random effects and the residual variance are not identifiable`);
}

/**
 * Refuses random terms whose columns cannot be told apart: columns that are linear combinations of
 * each other (`(1 + x + x2 | g)` with x2 = 2x), or a slope whose variable takes a single value
 * within every level of the grouping factor (`(f | g)` with one level of f per g), which the
 * intercept already absorbs.
 */
function checkIdentifiable(spec: RandomTermSpec, z: ModelMatrix, group: Factor): void {
  const identity = Int32Array.from({ length: z.n }, (_, i) => i);
  const kept = independentColumns(z, identity);
  if (kept.length < z.p) {
    const dropped = z.names.filter((_, j) => !kept.includes(j));
    throw new RandomEffectsError(spec.text, spec.groupLabel, `its columns are collinear: ${dropped.join(", ")} ${dropped.length > 1 ? "are linear combinations" : "is a linear combination"} of the others`);
  }
  if (!z.names.includes("(Intercept)")) return;
  const nl = group.levels.length;
  for (let j = 0; j < z.p; j++) {
    if (z.names[j] === "(Intercept)") continue;
    const first = new Float64Array(nl).fill(NaN);
    let varies = false;
    let repeated = false;
    for (let i = 0; i < z.n && !varies; i++) {
      const l = group.codes[i], v = z.data[j * z.n + i];
      if (Number.isNaN(first[l])) first[l] = v;
      else {
        repeated = true;
        if (v !== first[l]) varies = true;
      }
    }
    if (!varies && repeated) {
      throw new RandomEffectsError(spec.text, spec.groupLabel, `${z.names[j]} takes a single value within every level of ${spec.groupLabel}, so its random slope cannot be told apart from the random intercept`);
    }
  }
}

/** Looks a variable up in the frame, as numbers or as a factor. */
export function frameSource(frame: ModelFrame) {
  return (label: string) => {
    const f = frame.factors.get(label);
    const v = frame.numeric.get(label);
    const b = frame.bases.get(label);
    if (v) return { values: v };
    if (b) return b;
    if (f) return { factor: f };
    throw new Error(`internal: variable ${label} missing from the frame`);
  };
}

/**
 * The interaction of factors (`a:b`), levels in lexical order with the first factor varying
 * slowest, labels joined by ':', unused combinations dropped — as R's `a:b` then `factor()`.
 */
export function interactionFactor(factors: Factor[]): Factor {
  if (factors.length === 1) return factors[0];
  const n = factors[0].codes.length;
  const combined = new Float64Array(n);
  for (let f = factors.length - 1, stride = 1; f >= 0; f--) {
    for (let i = 0; i < n; i++) combined[i] += factors[f].codes[i] * stride;
    stride *= factors[f].levels.length;
  }
  // Distinct combinations by a native sort; each row's code by binary search among them.
  const sorted = combined.slice().sort();
  let count = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[count++] = sorted[i];
  const distinct = sorted.subarray(0, count);
  const levels = Array.from(distinct, (c) => {
    const parts: string[] = [];
    let rest = c;
    for (let f = factors.length - 1; f >= 0; f--) {
      const L = factors[f].levels.length;
      parts.unshift(factors[f].levels[rest % L]);
      rest = Math.floor(rest / L);
    }
    return parts.join(":");
  });
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = combined[i];
    let lo = 0, hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    codes[i] = lo;
  }
  return { levels, codes };
}
