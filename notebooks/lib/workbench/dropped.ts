// The rows a fit left out and why: which of the model's columns were missing in each.
import type { DataColumns, LinearMixedModel } from "@lmm/core";
import { h } from "../ui/dom.js";

const isMissing = (v: unknown) => v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));

/** How many rows are listed; the count and per-column totals cover them all. */
const SHOWN = 20;

/**
 * A table of the dropped rows (data row, and the columns missing in it), the first 20 of them.
 *
 * @example
 * ```js
 * display(droppedRowsTable(model, usedColumns));
 * ```
 */
export function droppedRowsTable(model: LinearMixedModel, columns: DataColumns): HTMLElement {
  const dropped = model.droppedRows;
  if (dropped.count === 0) return h("p", { class: "lmm-note lmm-dropped" }, `No rows were left out: all ${model.nobs} rows are in the fit.`);
  const names = Object.keys(columns);
  const rows = dropped.indices.slice(0, SHOWN).map((row) => {
    const missing = names.filter((n) => isMissing(columns[n][row]));
    return h("tr", {}, h("td", { class: "num" }, String(row + 1)), h("td", {}, missing.join(", ")));
  });
  const byColumn = dropped.byColumn.filter((c) => c.missing > 0).map((c) => `${c.column} (${c.missing})`).join(", ");
  return h(
    "div",
    { class: "lmm-dropped" },
    h("p", { class: "lmm-note" }, `${dropped.count} row${dropped.count === 1 ? "" : "s"} left out for missing values in ${byColumn}.${dropped.count > SHOWN ? ` The first ${SHOWN}:` : ""}`),
    h("table", { class: "lmm-table" }, h("thead", {}, h("tr", {}, h("th", {}, "data row"), h("th", {}, "missing in"))), h("tbody", {}, ...rows)),
  );
}
