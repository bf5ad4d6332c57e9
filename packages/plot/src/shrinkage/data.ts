import { InvalidArgumentError } from "@lmm/core";
import type { ShrinkageResult } from "@lmm/diagnostics";

/**
 * Per level of a grouping factor: its own least-squares estimate (no pooling), its BLUP coefficient
 * (population value + conditional mode: partial pooling), and the population value (complete pooling),
 * for each term. Arrays are level-major (`noPooling[l * terms.length + c]`); NaN marks an estimate the
 * level's data cannot give (one observation and a slope, say).
 */
export interface ShrinkageInput {
  group: string;
  /** Coefficient names (`(Intercept)`, `Days`). */
  terms: string[];
  levels: string[];
  /** Observations per level. */
  n: ArrayLike<number>;
  noPooling: ArrayLike<number>;
  partialPooling: ArrayLike<number>;
  /** Population value per term (the fixed effect; 0 for a term with no fixed counterpart). */
  population: ArrayLike<number>;
}

/**
 * The plots' input from either shape: diagnostics' deviations are moved onto the coefficient scale
 * (fixed effect + deviation), so the population value is the fixed effect.
 *
 * @example
 * ```ts
 * toShrinkageInput(shrinkage(model, "Subject")).partialPooling; // β̂ + b̃ per level, level-major
 * ```
 */
export function toShrinkageInput(input: ShrinkageInput | ShrinkageResult): ShrinkageInput {
  if ("partialPooling" in input) return input;
  const k = input.terms.length;
  const noPooling = new Float64Array(input.levels.length * k);
  const partialPooling = new Float64Array(input.levels.length * k);
  input.levels.forEach((l, i) => {
    for (let c = 0; c < k; c++) {
      noPooling[i * k + c] = input.fixed[c] + l.noPooling[c];
      partialPooling[i * k + c] = input.fixed[c] + l.blup[c];
    }
  });
  return {
    group: input.group,
    terms: input.terms.slice(),
    levels: input.levels.map((l) => l.level),
    n: Float64Array.from(input.levels, (l) => l.n),
    noPooling,
    partialPooling,
    population: Float64Array.from(input.fixed),
  };
}

/** One level on one or two terms: a row of the shrinkage plots. */
export interface ShrinkageRow {
  level: string;
  n: number;
  /** No-pooling and BLUP on the first (x) term, and on the second (y) term for the 2-D plot. */
  noPoolingX: number;
  blupX: number;
  noPoolingY: number;
  blupY: number;
  /** Share of the distance to the population value removed by pooling on x: (np − blup) / (np − pop). */
  shrinkage: number;
}

/**
 * Rows for the terms `xTerm` (and `yTerm`), checking the input's lengths.
 *
 * @example
 * ```ts
 * shrinkageRows(input, "Days").map((r) => r.noPoolingX - r.blupX);
 * ```
 */
export function shrinkageRows(input: ShrinkageInput, xTerm: string, yTerm?: string): ShrinkageRow[] {
  const k = input.terms.length;
  const L = input.levels.length;
  for (const [name, values, length] of [["noPooling", input.noPooling, L * k], ["partialPooling", input.partialPooling, L * k], ["n", input.n, L], ["population", input.population, k]] as const) {
    if (values.length !== length) throw new InvalidArgumentError(`shrinkage ${name}`, `${values.length} values`, `${length} (levels × terms)`);
  }
  const cx = termIndex(input, xTerm);
  const cy = yTerm === undefined ? -1 : termIndex(input, yTerm);
  const pop = input.population[cx];
  return input.levels.map((level, l) => {
    const np = input.noPooling[l * k + cx], blup = input.partialPooling[l * k + cx];
    return {
      level,
      n: input.n[l],
      noPoolingX: np,
      blupX: blup,
      noPoolingY: cy < 0 ? NaN : input.noPooling[l * k + cy],
      blupY: cy < 0 ? NaN : input.partialPooling[l * k + cy],
      shrinkage: (np - blup) / (np - pop),
    };
  });
}

/**
 * Column index of a term, or a typed error naming the terms there are.
 *
 * @example
 * ```ts
 * termIndex(input, "Days"); // 1
 * ```
 */
export function termIndex(input: ShrinkageInput, term: string): number {
  const c = input.terms.indexOf(term);
  if (c < 0) throw new InvalidArgumentError("term", term, `a term of ${input.group} (${input.terms.join(", ")})`);
  return c;
}

/** Level order of the 1-D shrinkage plot (top first). */
export type ShrinkageSort = "n" | "noPooling" | "blup" | "level";

/**
 * Ranks (0 = top) of the rows: by n descending (default; ties by the no-pooling estimate), by the
 * no-pooling estimate or BLUP descending, or in level order.
 *
 * @example
 * ```ts
 * shrinkageRanks(rows, "n");
 * ```
 */
export function shrinkageRanks(rows: ShrinkageRow[], sort: ShrinkageSort = "n"): Map<string, number> {
  const order = rows.map((_, i) => i);
  const desc = (f: (r: ShrinkageRow) => number) => (a: number, b: number) => nanLast(f(rows[b]), f(rows[a])) || a - b;
  if (sort === "n") order.sort((a, b) => rows[b].n - rows[a].n || nanLast(rows[b].noPoolingX, rows[a].noPoolingX) || a - b);
  else if (sort === "noPooling") order.sort(desc((r) => r.noPoolingX));
  else if (sort === "blup") order.sort(desc((r) => r.blupX));
  else if (sort !== "level") throw new InvalidArgumentError("sort", sort, '"n", "noPooling", "blup" or "level"');
  return new Map(order.map((i, rank) => [rows[i].level, rank]));
}

function nanLast(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a - b;
}
