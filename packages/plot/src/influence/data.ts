import type { ClusterInfluenceInput } from "@lmm/diagnostics";

/** One level's Cook's distance. */
export interface CooksRow {
  level: string;
  nObs: number;
  cooksD: number;
  over: boolean;
  rank: number;
}

/** One level's DFBETAS on one coefficient. */
export interface DfbetasRow {
  level: string;
  nObs: number;
  coefficient: string;
  dfbetas: number;
  over: boolean;
  rank: number;
}

/**
 * Cook's distances, largest first (rank 0), keeping the `limit` largest.
 *
 * @example
 * ```ts
 * cooksRows(influence, 20).map((r) => r.level);
 * ```
 */
export function cooksRows(input: ClusterInfluenceInput, limit = Infinity): CooksRow[] {
  const order = sortedIndices(input.levels.map((l) => l.cooksD)).slice(0, limit);
  return order.map((i, rank) => {
    const l = input.levels[i];
    return { level: l.level, nObs: l.nObs, cooksD: l.cooksD, over: l.cooksD > input.cutoffs.cooksD, rank };
  });
}

/**
 * DFBETAS per level and coefficient, levels ordered by their largest |DFBETAS| (rank 0 first), keeping
 * the `limit` most influential levels.
 *
 * @example
 * ```ts
 * dfbetasRows(influence).filter((r) => r.over);
 * ```
 */
export function dfbetasRows(input: ClusterInfluenceInput, limit = Infinity): DfbetasRow[] {
  const worst = input.levels.map((l) => Math.max(...Array.from(l.dfbetas, Math.abs)));
  const order = sortedIndices(worst).slice(0, limit);
  return order.flatMap((i, rank) => {
    const l = input.levels[i];
    return input.fixefNames.map((coefficient, j) => ({
      level: l.level,
      nObs: l.nObs,
      coefficient,
      dfbetas: l.dfbetas[j],
      over: Math.abs(l.dfbetas[j]) > input.cutoffs.dfbetas,
      rank,
    }));
  });
}

/** Indices by value, largest first, NaN last. */
function sortedIndices(values: number[]): number[] {
  return values.map((_, i) => i).sort((a, b) => {
    const x = values[a], y = values[b];
    if (Number.isNaN(x)) return Number.isNaN(y) ? a - b : 1;
    if (Number.isNaN(y)) return -1;
    return y - x || a - b;
  });
}
