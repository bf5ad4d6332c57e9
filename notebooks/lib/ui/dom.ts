// A tiny element builder for the notebooks' controls. Strings become text nodes (never parsed as
// HTML), so column names, level labels and error messages from a user's file are always escaped.
import { ensureStyles } from "./styles.js";

type Child = Node | string | number | null | undefined | false;
type Props = { class?: string; style?: string; title?: string; data?: Record<string, string> } & Record<string, unknown>;

/**
 * `h("button", { class: "x", onclick }, "Fit")`: creates an element, sets properties (functions as
 * handlers, `data` as data attributes, `class`/`style`/`title`/ARIA as attributes) and appends children.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  ensureStyles();
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "data") for (const [k, v] of Object.entries(value as Record<string, string>)) element.dataset[k] = v;
    else if (key === "class") element.className = String(value);
    else if (key === "style" || key === "title" || key === "for" || key === "role" || key.startsWith("aria-")) element.setAttribute(key, String(value));
    else (element as unknown as Record<string, unknown>)[key] = value;
  }
  append(element, children);
  return element;
}

/** Appends children (strings as text) to an element. */
export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}
