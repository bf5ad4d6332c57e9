import { InvalidArgumentError, type LinearMixedModel } from "@lmm/core";
import { frameVariable, grouping } from "../model/grouping.js";

/** One observation of a trajectory plot. */
export interface TrajectoryRow {
  level: string;
  /** Observations of the level. */
  n: number;
  time: number;
  observed: number;
  /** Conditional fitted value (the level's own line). */
  fitted: number;
  /** Population-level fitted value Xβ̂. */
  population: number;
  /** Value of the colour variable ("" without one). */
  color: string;
  /** Facet of the row ("" without facets). */
  facet: string;
}

/** Options of {@link trajectoryData}. */
export interface TrajectoryDataOptions {
  /** The time variable (a numeric variable of the model). */
  time: string;
  /** The grouping factor whose trajectories are drawn (default the model's first). */
  group?: string;
  /** A variable of the model to colour by (`program`). */
  colorBy?: string;
  /** Facet by `"group"` (one panel per level), by another variable, or `null` for one panel (default: by group up to 36 levels). */
  facet?: "group" | string | null;
}

/**
 * Observed and fitted values per used row, sorted by level and time, with the population fitted values,
 * the colour variable and the facet of each row.
 *
 * @example
 * ```ts
 * trajectoryData(model, { time: "Days" })[0]; // { level: "308", time: 0, observed, fitted, population, … }
 * ```
 */
export function trajectoryData(model: LinearMixedModel, options: TrajectoryDataOptions): TrajectoryRow[] {
  const g = grouping(model, options.group);
  const time = frameVariable(model, options.time);
  if (Array.isArray(time)) throw new InvalidArgumentError("time", options.time, "a numeric variable of the model");
  const color = options.colorBy === undefined ? null : frameVariable(model, options.colorBy);
  const facetName = resolveFacet(options.facet, g.levels.length);
  const facet = facetName === null || facetName === "group" ? null : frameVariable(model, facetName);
  const observed = model.response, fitted = model.fitted(), population = model.fitted({ re: false });
  const rows: TrajectoryRow[] = Array.from({ length: observed.length }, (_, i) => {
    const level = g.levels[g.codes[i]];
    return {
      level,
      n: g.counts[g.codes[i]],
      time: (time as Float64Array)[i],
      observed: observed[i],
      fitted: fitted[i],
      population: population[i],
      color: color ? String(color[i]) : "",
      facet: facetName === "group" ? level : facet ? String(facet[i]) : "",
    };
  });
  const levelIndex = new Map(g.levels.map((l, i) => [l, i]));
  return rows.sort((a, b) => levelIndex.get(a.level)! - levelIndex.get(b.level)! || a.time - b.time);
}

/**
 * The facet choice, with the default: by group when it has at most 36 levels.
 *
 * @example
 * ```ts
 * resolveFacet(undefined, 18); // "group"
 * ```
 */
export function resolveFacet(facet: TrajectoryDataOptions["facet"], nLevels: number): string | null {
  if (facet === undefined) return nLevels <= 36 ? "group" : null;
  return facet;
}

/**
 * The population line of each (facet, colour) pair: the mean population fitted value at each time.
 * Exact when the fixed part depends only on time and the colour variable; an average otherwise.
 *
 * @example
 * ```ts
 * populationLines(trajectoryData(model, { time: "time", colorBy: "program" }));
 * ```
 */
export function populationLines(rows: TrajectoryRow[]): { facet: string; color: string; time: number; population: number; key: string }[] {
  const sums = new Map<string, { facet: string; color: string; time: number; sum: number; count: number }>();
  for (const r of rows) {
    const key = JSON.stringify([r.facet, r.color, r.time]);
    const hit = sums.get(key) ?? { facet: r.facet, color: r.color, time: r.time, sum: 0, count: 0 };
    hit.sum += r.population;
    hit.count++;
    sums.set(key, hit);
  }
  return [...sums.values()]
    .map((s) => ({ facet: s.facet, color: s.color, time: s.time, population: s.sum / s.count, key: JSON.stringify([s.facet, s.color]) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.time - b.time));
}

