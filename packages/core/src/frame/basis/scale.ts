import { BasisError } from "../../errors/data.js";

/** What `scale(x, center, scale)` learned (R's `scaled:center` and `scaled:scale`); null: not applied. */
export interface ScaleCoefs {
  center: number | null;
  scale: number | null;
}

/**
 * R's `scale.default` on sorted values: centre = mean (when `center` is TRUE, or the number given),
 * scale = √(Σ v² / (n − 1)) of the centred values (when `scale` is TRUE, or the number given).
 */
export function learnScale(sorted: Float64Array, center: boolean | number, scale: boolean | number, label: string): ScaleCoefs {
  const n = sorted.length;
  let c: number | null = null;
  if (typeof center === "number") c = center;
  else if (center) {
    let s = 0;
    for (let i = 0; i < n; i++) s += sorted[i];
    c = s / n;
  }
  let sd: number | null = null;
  if (typeof scale === "number") sd = scale;
  else if (scale) {
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = sorted[i] - (c ?? 0);
      ss += v * v;
    }
    sd = Math.sqrt(ss / Math.max(1, n - 1));
  }
  if (sd === 0 || (sd !== null && !Number.isFinite(sd))) throw new BasisError(label, `cannot divide by a scale of ${sd}${typeof scale === "number" ? "" : " (the variable is constant)"}`);
  return { center: c, scale: sd };
}

/** (x − centre) / scale at every row (NaN stays NaN). */
export function scaleColumn(x: Float64Array, coefs: ScaleCoefs): Float64Array {
  const c = coefs.center ?? 0, s = coefs.scale ?? 1;
  return coefs.scale === null ? x.map((v) => v - c) : x.map((v) => (v - c) / s);
}
