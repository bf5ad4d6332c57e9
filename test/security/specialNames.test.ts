// Names such as __proto__, constructor and <script> are ordinary names everywhere: in the frame,
// the results, tidy tables, JSON, the report widget and the plots.
import { describe, expect, it } from "vitest";
import { JSDOM } from "jsdom";
import { table } from "arquero";
import { lmm } from "@lmm/core";
import { tidy, fitEach } from "@lmm/arquero";
import { caterpillar } from "@lmm/plot";
import { report } from "@lmm/report";

const { window } = new JSDOM("<!doctype html><body></body>");
const document = window.document;

const n = 40;
const levels = ["__proto__", "constructor", "<script>alert(1)</script>", "toString", "hasOwnProperty"];
const data: Record<string, unknown[]> = Object.create(null);
data["__proto__"] = Array.from({ length: n }, (_, i) => Math.sin(i) + (i % 5) * 0.7 + (i % 3));
data["constructor"] = Array.from({ length: n }, (_, i) => (i % 4) / 2);
data["<script>"] = Array.from({ length: n }, (_, i) => levels[i % 5]);
data["toString"] = Array.from({ length: n }, (_, i) => (i % 2 ? "valueOf" : "__defineGetter__"));

describe("special names are ordinary names", () => {
  const formula = "`__proto__` ~ constructor + toString + (1 | `<script>`)";
  const m = lmm(formula, data as never);

  it("in the model and its JSON", () => {
    expect(m.fixefNames).toEqual(["(Intercept)", "constructor", "toStringvalueOf"]);
    expect(m.ngroups()).toEqual([{ group: "<script>", levels: 5 }]);
    expect(m.ranef()[0].levels).toContain("__proto__");
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    expect(Object.keys(json.ngroups)).toEqual(["<script>"]);
    expect(Object.keys(json.fixef)).toEqual(["(Intercept)", "constructor", "toStringvalueOf"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("in tidy tables and per-feature fits", async () => {
    const t = tidy(m, { effects: ["fixed", "ran_vals"], ddf: "residual" });
    expect(t.array("level") as unknown[]).toContain("__proto__");
    const renamed = Object.assign(Object.create(null), data, { feature: data["__proto__"] });
    delete renamed["__proto__"];
    const each = await fitEach(table(renamed), "{feature} ~ constructor + (1 | `<script>`)", ["feature"]);
    expect(each.glance.array("feature")).toEqual(["feature"]);
    expect(each.table.array("group") as unknown[]).toContain("<script>");
  });

  it("an Arquero table cannot hold a column named __proto__: a clear error, not a lost column", async () => {
    await expect(fitEach(table(data as never), "{feature} ~ constructor + (1 | `<script>`)", ["__proto__"])).rejects.toThrow(/"__proto__".*an Arquero table cannot hold/);
  });

  it("in the report widget and the plots: text, never markup", () => {
    const root = report(m, { document, ddf: "residual" }).shadowRoot!;
    expect(root.querySelector("script")).toBeNull();
    expect(root.textContent).toContain("<script>");
    const fig = caterpillar(m, { document }) as unknown as Element;
    expect(fig.querySelector("script")).toBeNull();
    expect(fig.textContent).toContain("<script>alert(1)</script>");
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, "alert")).toBe(false);
  });
});
