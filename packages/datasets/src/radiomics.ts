import { decodeTable, type Dataset } from "./table.js";
import { table, truth } from "./generated/radiomics.js";
import type { RadiomicsTruth } from "./simulate/radiomics.js";

/**
 * The shipped multi-site radiomics table (1 row per scan): `patient`, `site` (S01–S12, 3 to 112 patients),
 * `vendor`, `grade` (G1–G3), `time` (scan 0, 1, …) and 24 features `f_*`, with the generating truth.
 * Regenerate it with `simulateRadiomics()`.
 *
 * @example
 * ```ts
 * const d = radiomics();
 * d.columns.f_firstorder_Mean; // Float64Array
 * d.levels.site;               // ["S01", …, "S12"]
 * d.truth.features[0].siteVariance;
 * ```
 */
export function radiomics(): Dataset<RadiomicsTruth> {
  return decodeTable(table, truth);
}
