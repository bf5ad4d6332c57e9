// The dispersion formula (`~ vendor`): which factor's levels each have their own residual variance
// σ²δ²_g (nlme's varIdent(form = ~ 1 | vendor), glmmTMB's dispformula = ~ vendor). Read here, with
// the other variables of the frame; the engine estimates δ (see engine/dispersion.ts).
import { DispersionError } from "../errors/data.js";
import { parseFormula } from "../formula/parse.js";
import { expandFormula } from "../formula/terms.js";
import type { Factor } from "./variables.js";

/** The dispersion factor over the rows used: level g of row i is `codes[i]`; the first level is the reference (δ = 1). */
export interface DispersionFactor {
  /** The formula as given (`"~ vendor"`). */
  formula: string;
  column: string;
  /** Levels in factor order (the `levels` option's, else sorted as R sorts them); levels no row uses are left out. */
  levels: string[];
  codes: Int32Array;
  /** Rows used per level. */
  counts: Int32Array;
}

/**
 * The column a dispersion formula names: `~ vendor` (one factor; nlme's `~ 1 | vendor` is written
 * `~ vendor`). Anything else is refused naming the formula.
 *
 * @example
 * ```ts
 * dispersionColumn("~ vendor"); // "vendor"
 * ```
 */
export function dispersionColumn(formula: string): string {
  if (typeof formula !== "string") throw new DispersionError(String(formula), "expected a one-sided formula naming one factor, such as \"~ vendor\"");
  const spec = expandFormula(parseFormula(formula));
  const variables = [...spec.variables.values()];
  const one = !spec.response && spec.random.length === 0 && spec.fixed.terms.length === 1 && variables.length === 1 && variables[0].columns.length === 1 && variables[0].label === variables[0].column;
  if (!one) throw new DispersionError(formula, "expected a one-sided formula naming one factor, such as \"~ vendor\"");
  return variables[0].column;
}

/**
 * The dispersion factor restricted to the rows used. A level some row of the data has but no row
 * used has (all its rows dropped), or a level with a single row, cannot have its own variance
 * estimated: both are errors naming the level.
 */
export function dispersionFactor(formula: string, column: string, raw: Factor, rows: Int32Array): DispersionFactor {
  const inData = new Int32Array(raw.levels.length), used = new Int32Array(raw.levels.length);
  for (let i = 0; i < raw.codes.length; i++) if (raw.codes[i] >= 0) inData[raw.codes[i]]++;
  for (let x = 0; x < rows.length; x++) used[raw.codes[rows[x]]]++;
  const levels: string[] = [], counts: number[] = [];
  const recode = new Int32Array(raw.levels.length).fill(-1);
  checkDispersionLevels(formula, column, raw.levels, inData, used);
  raw.levels.forEach((level, l) => {
    if (used[l] > 0) {
      recode[l] = levels.push(level) - 1;
      counts.push(used[l]);
    }
  });
  const codes = Int32Array.from(rows, (r) => recode[raw.codes[r]]);
  return { formula, column, levels, codes, counts: Int32Array.from(counts) };
}

/**
 * The levels of a dispersion factor that cannot have a variance of their own: one whose rows were all
 * dropped (`inData` > 0, `used` 0), one with a single row used. Both are errors naming the level.
 */
export function checkDispersionLevels(formula: string, column: string, levels: readonly string[], inData: ArrayLike<number>, used: ArrayLike<number>): void {
  levels.forEach((level, l) => {
    if (inData[l] > 0 && used[l] === 0) throw new DispersionError(formula, `level ${JSON.stringify(level)} of ${JSON.stringify(column)}: all its ${inData[l]} row${inData[l] > 1 ? "s were" : " was"} dropped (missing values or weight 0), so its residual variance cannot be estimated`);
    if (used[l] === 1) throw new DispersionError(formula, `level ${JSON.stringify(level)} of ${JSON.stringify(column)} has a single observation; its residual variance cannot be estimated (merge it with another level or drop it)`);
  });
}
