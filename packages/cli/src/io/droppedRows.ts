import type { DroppedRows } from "@lmm/core";

/** Data rows listed by number before the list is cut short. */
const LISTED = 10;

/**
 * The rows a fit left out, as a line under the text summary (lme4's summary says nothing about them; R's
 * `lm` says "(n observations deleted due to missingness)"). Rows are the CSV's data rows counted from 1, the
 * header not counted; `--json` gives the same rows 0-based in `droppedRows`. Empty when no row was left out.
 */
export function droppedRowsText(dropped: DroppedRows, nobs: number): string {
  if (dropped.count === 0) return "";
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const why = dropped.byColumn.filter((c) => c.missing > 0).map((c) => `${c.column}: ${c.missing}`).join(", ");
  const rows = dropped.indices.slice(0, LISTED).map((i) => i + 1).join(", ") + (dropped.count > LISTED ? ", …" : "");
  return `\n${plural(dropped.count, "row")} of ${dropped.count + nobs} left out for missing values (${why}); data ${dropped.count === 1 ? "row" : "rows"} ${rows}\n`;
}
