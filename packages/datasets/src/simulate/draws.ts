import { gammaDraw, type Rng } from "@lmm/core/numerics";

/** Uniform draw on [a, b). */
export function uniform(rng: Rng, a: number, b: number): number {
  return a + (b - a) * rng.uniform();
}

/** Normal draw with the given mean and standard deviation. */
export function normal(rng: Rng, mean: number, sd: number): number {
  return mean + sd * rng.normal();
}

/** Gamma(shape, rate 1) draw (Marsaglia & Tsang 2000; shape < 1 through the u^(1/shape) boost). */
export function gamma(rng: Rng, shape: number): number {
  return gammaDraw(rng, shape);
}

/**
 * Inverse-gamma draw given its mean and variance: shape a = 2 + mean²/variance, scale b = mean(a − 1)
 * (the parametrisation ComBat's prior for δ² uses).
 */
export function inverseGamma(rng: Rng, mean: number, variance: number): number {
  const a = 2 + (mean * mean) / variance;
  const b = mean * (a - 1);
  return b / gamma(rng, a);
}

/** Index drawn with the given probabilities (which need not sum exactly to 1). */
export function categorical(rng: Rng, probabilities: readonly number[]): number {
  let total = 0;
  for (const p of probabilities) total += p;
  let u = rng.uniform() * total;
  for (let i = 0; i < probabilities.length; i++) {
    u -= probabilities[i];
    if (u < 0) return i;
  }
  return probabilities.length - 1;
}

/** Random sign, ±1 with equal probability. */
export function sign(rng: Rng): number {
  return rng.uniform() < 0.5 ? -1 : 1;
}

/** Rounds to `digits` significant digits (what the shipped files store). */
export function signif(x: number, digits: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(digits));
}

/** Zero-padded label, e.g. `label("S", 3, 2)` → `"S03"`. */
export function label(prefix: string, i: number, width: number): string {
  return prefix + String(i).padStart(width, "0");
}

/**
 * Unit-variance draws correlated through a few shared latent factors: value = λ'f + √(1 − λ'λ) e.
 * `loadings[k]` holds factor k's loading per feature; returns one value per feature.
 */
export function correlatedUnitNormals(rng: Rng, loadings: readonly Float64Array[], nFeatures: number): Float64Array {
  const factors = loadings.map(() => rng.normal());
  const out = new Float64Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    let common = 0;
    let ss = 0;
    for (let k = 0; k < loadings.length; k++) {
      common += loadings[k][f] * factors[k];
      ss += loadings[k][f] * loadings[k][f];
    }
    out[f] = common + Math.sqrt(1 - ss) * rng.normal();
  }
  return out;
}

/** Latent-factor loadings U(−max, max); keep k·max² < 1 so every feature keeps unit variance. */
export function factorLoadings(rng: Rng, nFactors: number, nFeatures: number, max: number): Float64Array[] {
  return Array.from({ length: nFactors }, () => Float64Array.from({ length: nFeatures }, () => uniform(rng, -max, max)));
}
