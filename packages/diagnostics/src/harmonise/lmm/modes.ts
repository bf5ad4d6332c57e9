import type { ModelDispersion, ModelStructure, RandomEffects } from "@lmm/core";
import { ResponseFits } from "@lmm/core/engine";
import type { FeatureFit } from "@lmm/arquero";

/**
 * Conditional modes of a feature's fit, recomputed from its θ̂ on a workspace of its design (one
 * factorisation, no optimisation), so they can be had for thousands of features fitted elsewhere
 * (in workers). `workspaces` keeps one workspace per design.
 *
 * @example
 * ```ts
 * const modes = featureModes(r.structureOf("f1"), r.fits[0], y, new Map());
 * ```
 */
export function featureModes(structure: ModelStructure, fit: FeatureFit, y: Float64Array, workspaces: Map<ModelStructure, ResponseFits>): RandomEffects[] {
  let workspace = workspaces.get(structure);
  if (!workspace) workspaces.set(structure, (workspace = ResponseFits.on(structure, fit.reml)));
  return workspace.modes(y, fit.theta, fit.dispersion?.delta);
}

/**
 * Removes the residual scale of each dispersion level (the LMM analogue of ComBat's δ): the
 * conditional residual rᵢ = yᵢ − Xβ̂ − Zb̃ (offset included) of a row of level g is rescaled from the
 * level's residual sd σ̂δ̂_g to the pooled residual sd, everything else of the row kept:
 * adjustedᵢ + rᵢ (s_pooled / (σ̂δ̂_g) − 1), where `adjusted` is y with the removed modes subtracted.
 *
 * @example
 * ```ts
 * const out = rescaleResiduals(structure, y, subtractModes(structure, y, modes, groups), modes, fit.fixef.estimate, fit.dispersion!);
 * ```
 */
export function rescaleResiduals(structure: ModelStructure, y: Float64Array, adjusted: Float64Array, modes: readonly RandomEffects[], beta: ArrayLike<number>, dispersion: Pick<ModelDispersion, "sd" | "pooledVariance">): Float64Array {
  const all = new Set(structure.groupingFactors().map((f) => f.group));
  const residual = subtractModes(structure, y, modes, all);
  const X = structure.fixedMatrix(), offset = structure.offset;
  const codes = structure.dispersionFactor!.codes;
  const target = Math.sqrt(dispersion.pooledVariance);
  const out = Float64Array.from(adjusted);
  for (let i = 0; i < out.length; i++) {
    let r = residual[i] - (offset ? offset[i] : 0);
    for (let j = 0; j < X.p; j++) r -= X.data[j * X.n + i] * beta[j];
    out[i] += r * (target / dispersion.sd[codes[i]] - 1);
  }
  return out;
}

/**
 * y minus the named grouping factors' contributions Z_g b̃_g, over the rows used (every column of
 * each such factor: intercepts and slopes).
 *
 * @example
 * ```ts
 * const adjusted = subtractModes(structure, y, modes, new Set(["batch"]));
 * ```
 */
export function subtractModes(structure: ModelStructure, y: Float64Array, modes: readonly RandomEffects[], groups: ReadonlySet<string>): Float64Array {
  const out = Float64Array.from(y);
  structure.groupingFactors().forEach((factor, j) => {
    if (!groups.has(factor.group)) return;
    const b = modes[j].values, k = factor.columns.length, { codes, z } = factor;
    for (let i = 0; i < out.length; i++) {
      const at = codes[i] * k;
      let s = 0;
      for (let c = 0; c < k; c++) s += z[i * k + c] * b[at + c];
      out[i] -= s;
    }
  });
  return out;
}
