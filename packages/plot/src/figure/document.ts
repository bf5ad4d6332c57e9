import { LmmError } from "@lmm/core";

/**
 * No DOM document to render into: Node has none unless one is passed (`options.document`).
 *
 * @example
 * ```ts
 * try { caterpillar(model); } catch (e) { if (e instanceof MissingDocumentError) caterpillar(model, { document }); }
 * ```
 */
export class MissingDocumentError extends LmmError {
  constructor() {
    super(
      "MISSING_DOCUMENT",
      "no DOM document to render the figure into: pass options.document (in Node, e.g. new JSDOM(\"\").window.document from jsdom)",
    );
  }
}

/**
 * The document a figure is drawn into: the one given, else the global one (browsers, notebooks).
 *
 * @example
 * ```ts
 * resolveDocument({ document: new JSDOM("").window.document }).createElement("div");
 * ```
 */
export function resolveDocument(options: { document?: Document }): Document {
  const doc = options.document ?? (globalThis as { document?: Document }).document;
  if (!doc) throw new MissingDocumentError();
  return doc;
}
