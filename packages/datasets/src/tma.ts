import { decodeTable, type Dataset } from "./table.js";
import { table, truth } from "./generated/tma.js";
import type { TmaTruth } from "./simulate/tma.js";

/**
 * The shipped tissue-microarray table (1 row per core): `core`, `patient` (T001–T100), `grade`, staining
 * `batch` (B1–B8), `day` (D1–D4, two batches per day), `reader` (R1–R3) and 25 features `feature_*` with
 * known patient / batch / reader / residual variances. Regenerate it with `simulateTma()`.
 *
 * @example
 * ```ts
 * const d = tma();
 * d.truth.features.filter((f) => f.profile === "batch").map((f) => f.feature);
 * ```
 */
export function tma(): Dataset<TmaTruth> {
  return decodeTable(table, truth);
}
