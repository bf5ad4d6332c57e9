// The formula box: a textarea the full width of the page (the theme's text inputs are 240 px),
// submitted by a Fit button or the keyboard. As an Observable view its value is the last formula
// submitted, so typing does not refit; submitting does.
import { h } from "./dom.js";

/** Options of {@link formulaInput}. */
export interface FormulaInputOptions {
  /** The formula to start with ("" for none yet). */
  value?: string;
  label?: string;
  placeholder?: string;
  /** Text of the submit button (default "Fit"). */
  submit?: string;
}

/**
 * Enter submits a one-line formula (Shift+Enter starts a new line); in a multi-line formula Enter
 * is a new line and Ctrl/Cmd+Enter submits. Line breaks are read as spaces, which lme4 ignores too,
 * so the caret of a syntax error still points into the one-line formula.
 *
 * @example
 * ```js
 * const formula = view(formulaInput({value: "y ~ x + (1 | g)"}));
 * ```
 */
export function formulaInput(options: FormulaInputOptions = {}): HTMLFormElement & { value: string } {
  const textarea = h("textarea", {
    class: "lmm-formula-text",
    rows: 2,
    spellcheck: false,
    placeholder: options.placeholder ?? "y ~ x + (1 | group)",
    "aria-label": options.label ?? "Formula",
    style: "display: block; width: 100%; max-width: none; box-sizing: border-box; font: 15px/1.45 var(--monospace, monospace); padding: .45em .6em; resize: vertical;",
  });
  textarea.value = options.value ?? "";
  const button = h("button", { type: "submit", class: "lmm-button primary lmm-fit" }, options.submit ?? "Fit");
  const hint = h("span", { class: "lmm-note" }, "Enter fits (Shift+Enter for a new line; Ctrl/⌘+Enter fits a multi-line formula).");
  const form = h(
    "form",
    { class: "lmm-formula", style: "width: 100%; max-width: none; margin: .6em 0;" },
    h("label", { style: "display: block; font: 600 14px/1.6 var(--sans-serif, sans-serif);" }, options.label ?? "Formula"),
    textarea,
    h("div", { style: "display: flex; align-items: center; gap: .8em; margin-top: .4em;" }, button, hint),
  ) as HTMLFormElement & { value: string };
  const read = () => textarea.value.replace(/\r?\n/g, " ").trim();
  form.value = read();
  const submit = () => {
    form.value = read();
    form.dispatchEvent(new Event("input", { bubbles: true }));
  };
  // Typing is not a new value: only a submit is.
  textarea.addEventListener("input", (e) => e.stopPropagation());
  textarea.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || e.shiftKey || e.isComposing) return;
    if (e.ctrlKey || e.metaKey || !textarea.value.includes("\n")) {
      e.preventDefault();
      submit();
    }
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit();
  });
  return form;
}
