// Reads the sva::ComBat reference (test/reference/combat, see its README) with arquero's CSV reader.
import { readFileSync } from "node:fs";
import { fromCSV } from "arquero";

const root = new URL("../../../test/reference/combat/", import.meta.url);

/** One reference CSV as an arquero table. */
export function loadReference(path: string) {
  return fromCSV(readFileSync(new URL(path, root), "utf8"));
}

/** A table of patient_id, site, grade and feature columns as columnar inputs. */
export function featureTable(path: string) {
  const table = loadReference(path);
  const names = table.columnNames().filter((c) => !["patient_id", "site", "grade"].includes(c));
  const features: Record<string, Float64Array> = Object.create(null);
  for (const name of names) features[name] = Float64Array.from(table.array(name) as ArrayLike<number>);
  return {
    names,
    features,
    site: Array.from(table.array("site") as ArrayLike<string>),
    grade: Array.from(table.array("grade") as ArrayLike<string>),
    patient: Array.from(table.array("patient_id") as ArrayLike<string>),
  };
}

export const raw = () => featureTable("data/features_raw.csv");
