import type { ReportData } from "./data.js";
import { renderInto, type ReportOptions } from "./render.js";

/**
 * Registers the `<lmm-report>` custom element: `<lmm-report src="model.json">` fetches report data
 * (from `reportData(model)`, saved as JSON) and renders it; or set `element.data = reportData(model)`.
 * Attribute `plots="none"` leaves the plots out.
 *
 * @example
 * ```html
 * <script type="module" src="lmm-report.js"></script>
 * <lmm-report src="model.json"></lmm-report>
 * ```
 */
export function defineReportElement(name = "lmm-report", registry: CustomElementRegistry = globalThis.customElements): void {
  if (!registry || registry.get(name)) return;
  class LmmReportElement extends HTMLElement {
    static observedAttributes = ["src", "plots"];
    private current?: ReportData;
    private readonly root = this.attachShadow({ mode: "open" });

    get data(): ReportData | undefined {
      return this.current;
    }
    set data(value: ReportData | undefined) {
      this.current = value;
      this.render();
    }

    attributeChangedCallback(attribute: string): void {
      if (attribute === "src") void this.load();
      else this.render();
    }

    private async load(): Promise<void> {
      const src = this.getAttribute("src");
      if (!src) return;
      try {
        const response = await fetch(src);
        if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
        this.data = (await response.json()) as ReportData;
      } catch (e) {
        const p = this.ownerDocument.createElement("p");
        p.textContent = `Could not load report data from ${src}: ${(e as Error).message}`;
        this.root.replaceChildren(p);
      }
    }

    private render(): void {
      if (!this.current) return;
      const options: ReportOptions = { document: this.ownerDocument, plots: this.getAttribute("plots") === "none" ? [] : ["caterpillar"] };
      renderInto(this.root, this.current, options);
    }
  }
  registry.define(name, LmmReportElement);
}
