import { InvalidArgumentError, LinearMixedModel, type RandomEffects } from "@lmm/core";
import { qnorm } from "@lmm/core/numerics";
import { grouping } from "../model/grouping.js";

/**
 * Conditional modes of one grouping factor with their conditional sds: `model.ranef()` entry plus
 * `model.condSd(group)` (both level-major, `values[l * terms.length + c]`), and optionally the number
 * of observations per level.
 */
export interface ConditionalModes extends RandomEffects {
  sd: ArrayLike<number>;
  n?: ArrayLike<number>;
}

/** One level's conditional mode on one term, with its interval: a row of the caterpillar plot. */
export interface CaterpillarRow {
  group: string;
  term: string;
  level: string;
  /** Observations of the level (NaN when unknown). */
  n: number;
  value: number;
  sd: number;
  lower: number;
  upper: number;
  flagged: boolean;
  /** Position of the level in the plot's order (0 = top). */
  rank: number;
}

/** Options of {@link caterpillarData}. */
export interface CaterpillarDataOptions {
  /** Grouping factor (default: the model's first, lme4's order). */
  group?: string;
  /** Coverage of the intervals value ± z·sd (default 0.95). */
  level?: number;
  /** `"value"` (default): by the value on `sortTerm`, largest at the top; `"level"`: the factor's level order, first at the top. */
  sort?: "value" | "level";
  /** Term whose values order the levels (default the first term), the same order in every panel as lattice's `dotplot(ranef)`. */
  sortTerm?: string;
  /** Levels to highlight (flagged by a diagnostic, say): a list of names or a predicate. */
  highlight?: Iterable<string> | ((level: string) => boolean);
}

/**
 * The conditional modes of a model (or given {@link ConditionalModes}) as caterpillar rows: one per level
 * and term, with the interval value ± z·sd and the sort rank.
 *
 * @example
 * ```ts
 * caterpillarData(model, { group: "Subject" }).filter((r) => r.term === "Days");
 * ```
 */
export function caterpillarData(input: LinearMixedModel | ConditionalModes, options: CaterpillarDataOptions = {}): CaterpillarRow[] {
  const modes = input instanceof LinearMixedModel ? conditionalModes(input, options.group) : input;
  const { terms, levels, values, sd } = modes;
  const k = terms.length;
  if (values.length !== levels.length * k || sd.length !== values.length) {
    throw new InvalidArgumentError("conditional modes", `${values.length} values and ${sd.length} sds`, `${levels.length} levels × ${k} terms of each`);
  }
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InvalidArgumentError("level", level, "a coverage between 0 and 1");
  const z = qnorm(1 - (1 - level) / 2);
  const ranks = levelRanks(modes, options);
  const flagged = flagPredicate(options.highlight);
  const rows: CaterpillarRow[] = [];
  for (let l = 0; l < levels.length; l++) {
    for (let c = 0; c < k; c++) {
      const value = values[l * k + c], s = sd[l * k + c];
      rows.push({
        group: modes.group,
        term: terms[c],
        level: levels[l],
        n: modes.n ? modes.n[l] : NaN,
        value,
        sd: s,
        lower: value - z * s,
        upper: value + z * s,
        flagged: flagged(levels[l]),
        rank: ranks[l],
      });
    }
  }
  return rows;
}

/**
 * `ranef()` of one grouping factor with `condSd()` and the observation count per level.
 *
 * @example
 * ```ts
 * conditionalModes(model, "Subject").sd;
 * ```
 */
export function conditionalModes(model: LinearMixedModel, group?: string): ConditionalModes {
  const g = grouping(model, group);
  const re = model.ranef().find((r) => r.group === g.group)!;
  return { ...re, sd: model.condSd(g.group), n: g.counts };
}

function levelRanks(modes: ConditionalModes, options: CaterpillarDataOptions): Int32Array {
  const { terms, levels, values } = modes;
  const order = Int32Array.from(levels, (_, l) => l);
  const sort = options.sort ?? "value";
  if (sort === "level") return order;
  if (sort === "value") {
    const c = options.sortTerm === undefined ? 0 : terms.indexOf(options.sortTerm);
    if (c < 0) throw new InvalidArgumentError("sortTerm", options.sortTerm, `a term of ${modes.group} (${terms.join(", ")})`);
    const k = terms.length;
    order.sort((a, b) => values[a * k + c] - values[b * k + c] || a - b);
  } else {
    throw new InvalidArgumentError("sort", options.sort, '"value" or "level"');
  }
  const ranks = new Int32Array(levels.length);
  // Ascending values from the bottom up: the largest mode is drawn at the top, as lattice does.
  order.forEach((l, i) => (ranks[l] = order.length - 1 - i));
  return ranks;
}

function flagPredicate(highlight: CaterpillarDataOptions["highlight"]): (level: string) => boolean {
  if (highlight === undefined) return () => false;
  if (typeof highlight === "function") return highlight;
  const set = new Set(highlight);
  return (level) => set.has(level);
}
