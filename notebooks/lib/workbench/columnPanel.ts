// The column panel: each column's name, detected type, missing count, number of levels and range
// (or first levels); a column can be switched between numeric and categorical, and a factor's
// reference level chosen. As an Observable view its value is the user's ColumnChoices.
import { h } from "../ui/dom.js";
import { kindOf, levelsOf, noChoices, type ColumnChoices, type ColumnKind } from "./choices.js";
import { cellText, type LoadedColumn, type LoadedTable, type ColumnSummary } from "./table.js";

/** Factors with more levels than this get no reference-level menu (the first level is the reference). */
const MAX_MENU_LEVELS = 1000;

const formatNumber = (x: number | null) => (x === null ? "" : Number.isInteger(x) ? String(x) : x.toPrecision(5));

/**
 * The panel for a loaded table.
 *
 * @example
 * ```js
 * const choices = view(columnPanel(loaded));
 * ```
 */
export function columnPanel(table: LoadedTable): HTMLElement & { value: ColumnChoices } {
  const choices = noChoices();
  const body = h("tbody");
  const panel = h("div", { class: "lmm-column-panel" }, h("div", { class: "lmm-table-scroll" }, h("table", { class: "lmm-table" }, h("thead", {}, h("tr", {}, ...["Column", "Type", "Missing", "Levels", "Range or first levels", "Reference level"].map((t) => h("th", {}, t)))), body))) as unknown as HTMLElement & { value: ColumnChoices };
  panel.value = choices;
  const changed = () => {
    panel.value = { kind: { ...choices.kind }, reference: { ...choices.reference } };
    panel.dispatchEvent(new Event("input", { bubbles: true }));
  };
  table.columns.forEach((column, i) => {
    const tr = h("tr", { data: { column: column.name } });
    const render = () => tr.replaceChildren(...cells(column, table.summaries[i], choices, () => (render(), changed())));
    render();
    body.append(tr);
  });
  return panel;
}

function cells(column: LoadedColumn, summary: ColumnSummary, choices: ColumnChoices, onChange: () => void): HTMLElement[] {
  const kind = kindOf(column, choices);
  const typeMenu = h("select", { class: "lmm-column-type", "aria-label": `type of ${column.name}` }, ...(["numeric", "categorical"] as ColumnKind[]).map((k) => h("option", { value: k, selected: k === kind }, k + (k === column.kind ? " (detected)" : ""))));
  typeMenu.addEventListener("change", () => {
    const k = typeMenu.value as ColumnKind;
    if (k === column.kind) delete choices.kind[column.name];
    else choices.kind[column.name] = k;
    onChange();
  });
  const levels = kind === "categorical" ? levelsOf(column) : null;
  const nLevels = kind === "categorical" ? String(levels!.length) : summary.distinct === null ? `> ${5000} distinct` : `${summary.distinct} distinct`;
  const range = kind === "numeric" ? (summary.kind === "numeric" ? `${formatNumber(summary.min)} … ${formatNumber(summary.max)}` : "(from the labels)") : firstLevels(levels!);
  return [
    h("td", { class: "lmm-column-name" }, h("code", {}, column.name)),
    h("td", {}, typeMenu),
    h("td", { class: "num" }, String(summary.missing)),
    h("td", { class: "num" }, nLevels),
    h("td", {}, range),
    h("td", {}, levels ? referenceMenu(column, levels, choices, onChange) : ""),
  ];
}

function firstLevels(levels: string[]): string {
  const shown = levels.slice(0, 5).join(", ");
  return levels.length > 5 ? `${shown}, …` : shown;
}

function referenceMenu(column: LoadedColumn, levels: string[], choices: ColumnChoices, onChange: () => void): HTMLElement | string {
  if (levels.length > MAX_MENU_LEVELS) return `${levels[0]} (first level)`;
  const current = Object.prototype.hasOwnProperty.call(choices.reference, column.name) ? choices.reference[column.name] : levels[0];
  const menu = h("select", { class: "lmm-reference", "aria-label": `reference level of ${column.name}` }, ...levels.map((l) => h("option", { value: l, selected: l === current }, l)));
  menu.addEventListener("change", () => {
    if (menu.value === levels[0]) delete choices.reference[column.name];
    else choices.reference[column.name] = menu.value;
    onChange();
  });
  return menu;
}

/** The first rows of the table, every column, values as text. */
export function rowPreview(table: LoadedTable, rows = 10): HTMLElement {
  const n = Math.min(rows, table.nRows);
  const header = h("tr", {}, h("th", {}, "row"), ...table.columns.map((c) => h("th", {}, c.name)));
  const body = Array.from({ length: n }, (_, r) => h("tr", {}, h("td", { class: "num" }, String(r + 1)), ...table.columns.map((c) => h("td", { class: c.kind === "numeric" ? "num" : "" }, cellText(c, r)))));
  return h("div", { class: "lmm-table-scroll lmm-preview" }, h("table", { class: "lmm-table" }, h("thead", {}, header), h("tbody", {}, ...body)));
}
