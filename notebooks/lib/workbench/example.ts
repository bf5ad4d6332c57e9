// The workbench's example file: the shipped multi-site radiomics table written as CSV in the page
// (nothing is fetched), so a first visit can try every step without a file of its own.
import { radiomics } from "@lmm/datasets";
import { table } from "arquero";
import { csvText } from "./csv.js";

/** The radiomics table as a CSV File. */
export function exampleFile(): File {
  const d = radiomics();
  return new File([csvText(table(d.columns as Record<string, ArrayLike<unknown>>))], "radiomics-example.csv", { type: "text/csv" });
}
