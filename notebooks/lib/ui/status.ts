// What a notebook shows while it computes and when something fails: a placeholder instead of empty
// slots, results marked stale while the computation they came from reruns, and one error message
// with the error's own class name and code.
import { h } from "./dom.js";

/** "fitting…" with a spinner: what a cell shows until its first result. */
export function placeholder(text: string): HTMLElement {
  return h("p", { class: "lmm-pending", role: "status" }, text);
}

/**
 * Wraps a cell's output as a result of the computation `key` ("model", "gwas" …), so that
 * {@link markStale} can grey it out while that computation reruns.
 */
export function result(key: string, ...children: (Node | string)[]): HTMLElement {
  return h("div", { class: "lmm-result", data: { lmmResult: key } }, ...children);
}

/**
 * Marks every result of `key` stale (greyed, "updating…"): called by the cell that recomputes it,
 * first thing. The dependent cells replace their outputs when the new value arrives; outputs that
 * are not replaced (the computation failed) stay marked.
 */
export function markStale(key: string): void {
  if (typeof document === "undefined") return;
  for (const el of document.querySelectorAll<HTMLElement>(".lmm-result")) if (el.dataset.lmmResult === key) el.classList.add("lmm-stale");
}

/** What to print of an error: its class name, code and message (worker errors unwrapped). */
export interface ErrorDescription {
  name: string;
  code: string | undefined;
  message: string;
}

/**
 * The error's own class name (`FormulaSyntaxError`, from `name`, which the build keeps unminified),
 * its stable `code`, and message. A failure inside a worker is described by the error the worker
 * threw, not by the wrapper.
 */
export function describeError(error: unknown): ErrorDescription {
  const e = error as { name?: unknown; code?: unknown; message?: unknown; originalName?: unknown; originalCode?: unknown; originalMessage?: unknown };
  if (e && typeof e === "object" && typeof e.originalName === "string" && e.code === "WORKER_TASK_FAILED") {
    return { name: e.originalName, code: typeof e.originalCode === "string" ? e.originalCode : undefined, message: String(e.originalMessage ?? "") };
  }
  if (e && typeof e === "object") return { name: typeof e.name === "string" ? e.name : "Error", code: typeof e.code === "string" ? e.code : undefined, message: String(e.message ?? e) };
  return { name: "Error", code: undefined, message: String(error) };
}

/**
 * One error message box: "FormulaSyntaxError (FORMULA_SYNTAX)" and the message in a monospace block,
 * so a parser's caret lines up under the formula. `context` says what was being done.
 */
export function errorMessage(error: unknown, context?: string): HTMLElement {
  const d = describeError(error);
  return h(
    "div",
    { class: "lmm-error", role: "alert", data: { errorName: d.name, errorCode: d.code ?? "" } },
    context ? `${context}: ` : "",
    h("strong", {}, d.name),
    d.code ? ` (${d.code})` : "",
    h("pre", {}, d.message),
  );
}

/** Whether an error is the user's cancel (an abort), not a failure. */
export function isCancel(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  return !!e && (e.code === "ABORTED" || e.name === "AbortError");
}

/**
 * A cell that has no value to give (no input yet, or its step failed and said so) awaits this: its
 * dependants keep waiting (their outputs stay, marked stale) until the cell reruns. It settles when
 * the cell is invalidated, because the runtime starts a cell's next run only after its previous one
 * settled; the value it settles with is stale and the runtime discards it.
 */
export function untilRerun<T>(invalidation: Promise<unknown>): Promise<T> {
  return invalidation.then(() => undefined as T);
}
