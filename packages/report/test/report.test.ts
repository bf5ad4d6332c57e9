import { describe, expect, it } from "vitest";
import { JSDOM } from "jsdom";
import { lmm } from "@lmm/core";
import { formatPValue, report, reportData, reportHtml } from "../src/index.js";
import { formulaDir, loadDataset } from "../../../test/support/reference.js";

const { window } = new JSDOM("<!doctype html><body></body>");
const document = window.document;

describe("report widget", () => {
  const ds = loadDataset("sleepstudy");
  const model = lmm("Reaction ~ Days + (Days | Subject)", ds.data, { levels: ds.levels });

  it("shows the fixed effects with df and p, variance components and fit statistics", () => {
    const host = report(model, { document, title: "Sleep study", ddf: "residual" });
    const root = host.shadowRoot!;
    expect(root.querySelector("style")).not.toBeNull();
    const text = root.textContent!;
    expect(text).toContain("Sleep study");
    expect(text).toContain("Reaction ~ Days + (Days | Subject)");
    const tables = root.querySelectorAll("table");
    expect(tables.length).toBe(3);
    const fixedRows = [...tables[0].querySelectorAll("tbody tr")].map((tr) => tr.firstElementChild!.textContent);
    expect(fixedRows).toEqual(["(Intercept)", "Days"]);
    expect(tables[0].querySelector("thead")!.textContent).toContain("Pr(>|t|)");
    const vcRows = [...tables[1].querySelectorAll("tbody tr")].map((tr) => tr.children[1].textContent);
    expect(vcRows).toEqual(["(Intercept)", "Days", ""]);
    expect(root.querySelectorAll("svg").length).toBeGreaterThan(0);
  });

  it("shows the formula language's coefficient names as lme4 prints them (poly, I(), contrasts, weights)", () => {
    const f = loadDataset("sleepstudy", formulaDir);
    const m = lmm("Reaction ~ poly(Days, 2) + I(w^2) + half + (1 | Subject)", f.data, { levels: f.levels, weights: "w", contrasts: { half: "sum" } });
    const root = report(m, { document, ddf: "satterthwaite" }).shadowRoot!;
    const fixedRows = [...root.querySelectorAll("table")[0].querySelectorAll("tbody tr")].map((tr) => tr.firstElementChild!.textContent);
    expect(fixedRows).toEqual(m.fixefNames);
    expect(fixedRows).toContain("poly(Days, 2)2");
    expect(fixedRows).toContain("half1");
  });

  it("lists warnings such as a singular fit", () => {
    const d2 = loadDataset("Dyestuff2");
    const singular = lmm("Yield ~ 1 + (1 | Batch)", d2.data, { levels: d2.levels });
    const root = report(singular, { document, ddf: "residual" }).shadowRoot!;
    expect(root.querySelector(".warnings")!.textContent).toContain("boundary (singular) fit");
  });

  it("renders data from JSON and never parses text from the data as HTML", () => {
    const data = JSON.parse(JSON.stringify(reportData(model, { ddf: "residual", title: "<img src=x onerror=alert(1)>" })));
    data.model.formula = "<script>alert(1)</script>";
    data.modes[0].levels[0] = "<b>bold</b>";
    const root = report(data, { document }).shadowRoot!;
    expect(root.querySelector("script")).toBeNull();
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector("b")).toBeNull();
    expect(root.textContent).toContain("<script>alert(1)</script>");
  });

  it("without df (lme4's own table): estimate, std. error and t value only", () => {
    const root = report(model, { document, ddf: "none" }).shadowRoot!;
    const head = root.querySelector("table thead")!.textContent!;
    expect(head).toContain("t value");
    expect(head).not.toContain("Pr(>|t|)");
    expect(head).not.toContain("df");
  });

  it("says which columns' missing values left rows out", () => {
    const days = Float64Array.from(ds.data.Days as ArrayLike<number>);
    days[3] = NaN;
    days[10] = NaN;
    const m = lmm("Reaction ~ Days + (Days | Subject)", { ...ds.data, Days: days }, { levels: ds.levels });
    const text = report(m, { document, ddf: "residual" }).shadowRoot!.textContent!;
    expect(text).toContain("2 rows with missing values were left out (missing Days: 2)");
  });

  it("prints p-values as R does, never 0", () => {
    expect(formatPValue(1e-300)).toBe("< 2e-16");
    expect(formatPValue(0)).toBe("< 2e-16");
    expect(formatPValue(0.5)).toBe("0.5000");
  });

  it("writes one standalone HTML page: tables and plots inline, texts escaped", () => {
    const data = JSON.parse(JSON.stringify(reportData(model, { ddf: "residual", title: "</title><script>alert(1)</script>" })));
    data.model.formula = "<img src=x onerror=alert(1)>";
    const html = reportHtml(data, { document });
    expect(html.startsWith("<!doctype html>")).toBe(true);
    const page = new JSDOM(html).window.document;
    expect(page.title).toBe("</title><script>alert(1)</script>");
    expect(page.querySelector("script")).toBeNull();
    expect(page.querySelector("img")).toBeNull();
    expect(page.querySelectorAll("table").length).toBe(3);
    expect(page.querySelectorAll("svg").length).toBeGreaterThan(0);
    expect(page.querySelector("meta[charset]")).not.toBeNull();
    expect(page.body.textContent).toContain("<img src=x onerror=alert(1)>");
  });
});
