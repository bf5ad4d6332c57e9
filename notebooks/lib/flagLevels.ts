// Levels flagged by a stated rule (not picked by hand), for a caterpillar plot's highlight.
import { qnorm } from "@lmm/core/numerics";
import { type LinearMixedModel } from "@lmm/core";

/**
 * The levels of a grouping factor whose conditional mode's interval (95% by default) excludes 0 for
 * any of its terms.
 *
 * @example
 * ```js
 * caterpillar(model, {group: "clinic", highlight: intervalExcludesZero(model, "clinic")});
 * ```
 */
export function intervalExcludesZero(model: LinearMixedModel, group: string, level = 0.95): string[] {
  const re = model.ranef().find((r) => r.group === group);
  if (!re) return [];
  const sd = model.condSd(group);
  const z = qnorm(1 - (1 - level) / 2);
  const k = re.terms.length;
  return re.levels.filter((_, l) => re.terms.some((_, c) => Math.abs(re.values[l * k + c]) > z * sd[l * k + c]));
}
