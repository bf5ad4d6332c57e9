import { decodeTable, type Dataset } from "./table.js";
import { table, truth } from "./generated/clinics.js";
import type { ClinicsTruth } from "./simulate/clinics.js";

/**
 * The shipped longitudinal trial (1 row per visit): `clinic` (C01–C20), `patient` (labels reused across
 * clinics: use `clinic:patient`), `program` (no / yes), `time` (0–5) and `y`, for
 * `y ~ program * time + (1|clinic) + (1 + time|clinic:patient)`, with outlying clinics C07 and C16.
 *
 * @example
 * ```ts
 * const d = clinics();
 * d.truth.outliers.map((o) => o.clinic); // ["C07", "C16"]
 * ```
 */
export function clinics(): Dataset<ClinicsTruth> {
  return decodeTable(table, truth);
}
