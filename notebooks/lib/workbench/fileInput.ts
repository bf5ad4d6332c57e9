// Choosing a file: an <input type="file"> and a drop zone (the whole page accepts a drop). As an
// Observable view its value is the chosen File (null before). Nothing is uploaded anywhere: the file
// is read by this browser, in a worker.
import { h } from "../ui/dom.js";

const ACCEPT = ".csv,.tsv,.tab,.parquet,.pq,.arrow,.arrows,.feather,.ipc,text/csv,text/tab-separated-values";

/** Options of {@link fileInput}. */
export interface FileInputOptions {
  /** An example to offer: the button's text and the file it loads (made in the page). */
  example?: { label: string; file: () => File };
}

/**
 * @example
 * ```js
 * const file = view(fileInput());
 * ```
 */
export function fileInput(options: FileInputOptions = {}): HTMLElement & { value: File | null } {
  const input = h("input", { type: "file", accept: ACCEPT, class: "lmm-file-input", "aria-label": "Choose a CSV, TSV, Parquet or Arrow file" });
  const zone = h(
    "div",
    { class: "lmm-drop-zone", style: "border: 2px dashed #9aa0a6; border-radius: 8px; padding: 1.2em; text-align: center; font: 15px/1.5 var(--sans-serif, sans-serif); background: #fafbfc;" },
    h("p", { style: "margin: 0 0 .6em;" }, "Drop a CSV, TSV, Parquet or Arrow file here, or choose one:"),
    input,
    h("p", { class: "lmm-note", style: "margin: .6em 0 0;" }, "The file is read by this browser, on this machine. Nothing is uploaded."),
  ) as unknown as HTMLElement & { value: File | null };
  const example = options.example;
  if (example) zone.append(h("p", { class: "lmm-note", style: "margin: .4em 0 0;" }, "No file at hand? ", h("button", { type: "button", class: "lmm-button lmm-example", onclick: () => choose(example.file()) }, example.label)));
  zone.value = null;
  const choose = (file: File | undefined) => {
    if (!file) return;
    zone.value = file;
    zone.dispatchEvent(new Event("input", { bubbles: true }));
  };
  // The input's own events would reach the view as a new value before `value` is set.
  input.addEventListener("input", (e) => e.stopPropagation());
  input.addEventListener("change", (e) => {
    e.stopPropagation();
    choose(input.files?.[0]);
  });
  // A drop anywhere on the page loads the file (instead of the browser opening it).
  const highlight = (on: boolean) => (zone.style.background = on ? "#eef4fb" : "#fafbfc");
  window.addEventListener("dragover", (e) => {
    if (!e.dataTransfer?.types.includes("Files")) return;
    e.preventDefault();
    highlight(true);
  });
  window.addEventListener("dragleave", () => highlight(false));
  window.addEventListener("drop", (e) => {
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    highlight(false);
    choose(e.dataTransfer.files[0]);
  });
  return zone;
}
