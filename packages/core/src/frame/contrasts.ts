import { InvalidArgumentError } from "../errors/LmmError.js";
import type { ModelSpec } from "../formula/terms.js";

/**
 * R's contrast codings of a factor with L levels, by name: `treatment` (`contr.treatment`, the
 * default for unordered factors), `sum` (`contr.sum`), `helmert` (`contr.helmert`) and `poly`
 * (`contr.poly`, the default for ordered factors).
 */
export type ContrastName = "treatment" | "sum" | "helmert" | "poly";

export const CONTRASTS: readonly ContrastName[] = ["treatment", "sum", "helmert", "poly"];

/** R's contr.poly cannot represent more than 95 degrees of freedom accurately, and refuses them. */
const MAX_POLY_LEVELS = 96;

/** A contrast matrix: L rows (levels) × L − 1 columns, column-major, and the column suffixes R uses. */
export interface ContrastMatrix {
  /** values[c * L + l]: column c at level l. */
  values: Float64Array;
  /** Appended to the factor's label: level names (treatment), `1`, `2` … (sum, helmert), `.L`, `.Q`, `.C`, `^4` … (poly). */
  suffixes: string[];
}

/**
 * The contrast matrix R builds for `levels` with the named coding.
 *
 * @example
 * ```ts
 * contrastMatrix("sum", ["a", "b", "c"]).suffixes; // ["1", "2"]
 * ```
 */
export function contrastMatrix(name: ContrastName, levels: readonly string[], label = "factor"): ContrastMatrix {
  const L = levels.length, k = Math.max(L - 1, 0);
  if (name === "poly" && L > MAX_POLY_LEVELS) {
    throw new InvalidArgumentError(`contrasts of ${JSON.stringify(label)}`, "poly", `at most ${MAX_POLY_LEVELS} levels for polynomial contrasts (it has ${L}; R refuses them too)`);
  }
  const values = new Float64Array(L * k);
  switch (name) {
    case "treatment":
      for (let c = 0; c < k; c++) values[c * L + c + 1] = 1;
      return { values, suffixes: levels.slice(1) };
    case "sum":
      for (let c = 0; c < k; c++) {
        values[c * L + c] = 1;
        values[c * L + L - 1] = -1;
      }
      return { values, suffixes: Array.from({ length: k }, (_, c) => String(c + 1)) };
    case "helmert":
      for (let c = 0; c < k; c++) {
        for (let l = 0; l <= c; l++) values[c * L + l] = -1;
        values[c * L + c + 1] = c + 1;
      }
      return { values, suffixes: Array.from({ length: k }, (_, c) => String(c + 1)) };
    case "poly":
      return { values: orthogonalPolynomials(L), suffixes: Array.from({ length: k }, (_, c) => [".L", ".Q", ".C"][c] ?? `^${c + 1}`) };
  }
}

/**
 * R's `contr.poly(L)`: the orthonormal polynomials of degrees 1 … L − 1 at the scores 1 … L (the
 * normalised residuals of each power of the centred scores on the lower powers, which is what R's
 * QR-based `make.poly` computes).
 */
function orthogonalPolynomials(L: number): Float64Array {
  const mean = (L + 1) / 2;
  const basis: Float64Array[] = [new Float64Array(L).fill(1 / Math.sqrt(L))];
  const out = new Float64Array(L * (L - 1));
  for (let d = 1; d < L; d++) {
    const v = Float64Array.from({ length: L }, (_, l) => Math.pow(l + 1 - mean, d));
    // Modified Gram–Schmidt, twice: the powers are nearly dependent for many levels.
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        let dot = 0;
        for (let l = 0; l < L; l++) dot += q[l] * v[l];
        for (let l = 0; l < L; l++) v[l] -= dot * q[l];
      }
    }
    let norm = 0;
    for (let l = 0; l < L; l++) norm += v[l] * v[l];
    norm = Math.sqrt(norm);
    for (let l = 0; l < L; l++) v[l] /= norm;
    basis.push(v);
    out.set(v, (d - 1) * L);
  }
  return out;
}

/** No factor coded otherwise than by treatment contrasts (the common case: shared, never written). */
const ALL_TREATMENT: Readonly<Record<string, ContrastName>> = Object.freeze(Object.create(null));

/**
 * The codings other than treatment contrasts, by factor label: the `contrasts` option (by label,
 * else by column), `"poly"` for columns declared ordered. A factor not listed is coded by treatment.
 */
export function resolveContrasts(spec: ModelSpec, factors: readonly string[], options: { contrasts?: Readonly<Record<string, ContrastName>>; ordered?: readonly string[] }): Readonly<Record<string, ContrastName>> {
  if (!options.contrasts && !options.ordered?.length) return ALL_TREATMENT;
  const out: Record<string, ContrastName> = Object.create(null);
  const given = options.contrasts ?? {};
  const own = (k: string) => Object.prototype.hasOwnProperty.call(given, k);
  for (const k of Object.keys(given)) {
    if (!(CONTRASTS as readonly string[]).includes(given[k])) throw new InvalidArgumentError(`contrasts[${JSON.stringify(k)}]`, given[k], CONTRASTS.map((c) => `"${c}"`).join(", "));
    const used = [...spec.variables.values()].some((v) => v.label === k || ((v.kind === "column" || v.kind === "factor") && v.column === k));
    if (!used) throw new InvalidArgumentError("contrasts", k, `a factor of the formula (${factors.map((f) => JSON.stringify(f)).join(", ") || "it has none"})`);
  }
  for (const label of factors) {
    const ref = spec.variables.get(label)!;
    const coding = own(label) ? given[label] : own(ref.column) ? given[ref.column] : options.ordered?.includes(ref.column) ? "poly" : "treatment";
    if (coding !== "treatment") out[label] = coding;
  }
  return out;
}
