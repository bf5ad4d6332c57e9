// The workbench driven as a user would: the test writes its own feature table (CSV, and the same
// table as Parquet and Arrow), loads it through the file input, types a wrong formula (one error,
// with the caret, next to the box), then the right one, fits, and reads lme4's numbers off the page;
// it switches the df method, the estimation method and a reference level, then presses every
// download and checks each file. Expected numbers come from @lmm/core on the same data and from
// lme4/lmerTest (test/reference/workbench, made by run.sh from the same table).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import type { Download, Page } from "playwright-core";
import { readCsv, tableColumns } from "@lmm/arquero";
import { coefficients, lmm, type DataColumns } from "@lmm/core";
import { dataFingerprint } from "@lmm/diagnostics";
import { formatNumber } from "@lmm/report";
import { toArrowIPC, table as aqTable } from "arquero";
import { Table as WasmTable, writeParquet } from "parquet-wasm";
import { cellErrors, collectProblems, openSite, screenshotDir, type Site } from "./harness.js";
import { referenceDir, relClose } from "../support/reference.js";
import { WORKBENCH_FORMULA, workbenchCsv } from "../support/workbenchTable.js";

interface Lme4Fit {
  objective: number;
  sigma: number;
  nobs: number;
  fixef: { term: string; estimate: number; std_error: number; df: number; t: number; p: number; df_kr: number | null }[];
  varcorr: { grp: string; var1: string | null; var2: string | null; vcov: number; sdcor: number }[];
  site_modes: { level: string[]; intercept: number[]; cond_sd: number[] };
}
const lme4 = JSON.parse(readFileSync(join(referenceDir, "workbench", "lme4.json"), "utf8")) as { table_sha256: string; rows: number; fits: { REML: Lme4Fit; ML: Lme4Fit } };

const csv = workbenchCsv();
const dir = mkdtempSync(join(tmpdir(), "lmm-workbench-"));
const csvPath = join(dir, "features.csv");
writeFileSync(csvPath, csv);
const columns = tableColumns(readCsv(csv));
const USED = ["feature", "grade", "time", "site", "patient"];
const used: DataColumns = Object.fromEntries(USED.map((n) => [n, columns[n]]));
const reference = lmm(WORKBENCH_FORMULA, used);
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

let site: Site;
let page: Page;
let problems: string[];
beforeAll(async () => {
  site = await openSite();
  page = await site.browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  problems = collectProblems(page);
  await page.goto(new URL("workbench.html", site.url).href);
}, 240_000);
afterAll(async () => {
  await site?.close();
});

/** The report's text (it lives in a shadow root). */
const reportText = () => page.locator(".lmm-report-host").first().evaluate((host) => host.shadowRoot!.textContent ?? "");
/** The report's fixed-effects table: one array of cells per row. */
const fixedTable = () => page.locator(".lmm-report-host").first().evaluate((host) => [...host.shadowRoot!.querySelectorAll("table")[0].querySelectorAll("tbody tr")].map((tr) => [...tr.children].map((td) => td.textContent ?? "")));

async function fit(formula: string) {
  await page.locator(".lmm-formula-text").fill(formula);
  await page.locator(".lmm-fit").click();
}

/** Waits for the page to show the results of a fit whose criterion (REML or deviance) prints as `printed`. */
async function waitForCriterion(label: string, printed: string) {
  await page.waitForFunction(([l, v]) => {
    const text = document.querySelector(".lmm-report-host")?.shadowRoot?.textContent ?? "";
    return text.includes(`${l}${v}`);
  }, [label, printed] as const, { timeout: 60_000 });
}

/** Waits until the load note names the new file (the note is rewritten when the worker has read it). */
async function waitForLoaded(text: string) {
  await page.waitForFunction((t) => (document.querySelector(".lmm-loaded")?.textContent ?? "").includes(t), text, { timeout: 60_000 });
}

/** Runs an action that leads to a refit and waits for the new fit's note (the old one goes when the fit cell reruns). */
async function refitAfter(action: () => Promise<void>) {
  await page.locator(".lmm-fitted").evaluate((note) => note.setAttribute("data-old", ""));
  await action();
  await page.locator(".lmm-fitted:not([data-old])").waitFor({ timeout: 60_000 });
}

/**
 * Presses a download button and returns the file's name and bytes: saved at once, or — when making it
 * outlasted the click's grace period (a loaded machine) — through the "Save …" link the page offers.
 * A failure shown beside the button fails with its message. Under the full suite's load, a press has been
 * seen to leave no trace at all (no download, no link, no error, the button enabled again): it is pressed
 * once more, and a second press without a trace fails with what the page shows.
 */
async function download(text: string): Promise<{ name: string; bytes: Buffer }> {
  const button = page.getByRole("button", { name: text, exact: true });
  const slot = button.locator("xpath=following-sibling::span[1]");
  const failed = slot.locator(".lmm-error");
  const link = slot.locator("a.lmm-save-link");
  let outcome: { d: Download } | { link: true } | { failed: true } | undefined;
  for (let press = 1; press <= 2 && !outcome; press++) {
    const saved = page.waitForEvent("download", { timeout: 30_000 });
    saved.catch(() => {}); // settled by the race below, or superseded by the link's download
    await button.click();
    outcome = await Promise.race([
      saved.then((d) => ({ d })), link.waitFor({ timeout: 30_000 }).then(() => ({ link: true as const })), failed.waitFor({ timeout: 30_000 }).then(() => ({ failed: true as const })),
    ]).catch(() => undefined);
    if (!outcome && press === 1) console.log(`workbench test: "${text}" left no trace within 30 s; pressed again`);
  }
  if (!outcome) {
    throw new Error(`${text}: pressed twice, and neither a download, a Save link nor an error came within 30 s of either press (beside the button: "${await slot.innerHTML()}", button disabled: ${await button.isDisabled()}, page problems: ${problems.join(" | ") || "none"})`);
  }
  if ("failed" in outcome) throw new Error(`${text}: ${await failed.textContent()}`);
  let file = "d" in outcome ? outcome.d : null;
  if (!file) [file] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), link.click()]);
  const path = join(dir, `download-${file.suggestedFilename()}`);
  await file.saveAs(path);
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

function csvRows(bytes: Buffer): Record<string, string>[] {
  const [header, ...lines] = bytes.toString("utf8").trim().split("\n");
  const names = header.split(",");
  return lines.map((line) => {
    // The tidy tables hold no quoted commas except in terms; split on commas outside quotes.
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, "").replace(/^"|"$/g, "").replace(/""/g, '"'));
    return Object.fromEntries(names.map((n, i) => [n, cells[i]]));
  });
}

describe("the workbench in a real browser", () => {
  it("the lme4 reference belongs to the table this test writes", () => {
    expect(sha256(csv)).toBe(lme4.table_sha256);
    expect(lme4.rows).toBe(columns.feature.length);
  });

  it("loads the CSV in a worker and describes every column", async () => {
    await page.locator(".lmm-file-input").setInputFiles(csvPath);
    await waitForLoaded(`features.csv: ${lme4.rows} rows, 6 columns (CSV`);
    const row = (name: string) => page.locator(`.lmm-column-panel tr[data-column="${name}"] td`).allTextContents();
    const time = await row("time");
    const missingTime = Array.from(columns.time as Float64Array).filter(Number.isNaN).length;
    expect(time[2]).toBe(String(missingTime));
    expect(time[1]).toContain("numeric (detected)");
    const grade = await row("grade");
    expect(grade[3]).toBe("3");
    expect(grade[4]).toBe("G1, G2, G3");
    expect(await page.locator(".lmm-preview tbody tr").count()).toBe(10);
  }, 90_000);

  it("a formula error is shown once, by the box, with its class name and the caret", async () => {
    await fit("feature ~ grade + time + (1 | site");
    const error = page.locator(".lmm-error");
    await error.first().waitFor({ timeout: 30_000 });
    expect(await error.count()).toBe(1);
    expect(await error.getAttribute("data-error-name")).toBe("FormulaSyntaxError");
    const text = (await error.textContent())!;
    expect(text).toContain("FORMULA_SYNTAX");
    expect(text).toMatch(/\n\s*\^/);
    // Right below the box, not further down the page.
    const box = (await page.locator(".lmm-formula").boundingBox())!, shown = (await error.boundingBox())!;
    expect(shown.y - (box.y + box.height)).toBeGreaterThanOrEqual(0);
    expect(shown.y - (box.y + box.height)).toBeLessThan(60);
    expect(await cellErrors(page)).toEqual([]);
  }, 60_000);

  it("fits the model and prints lme4's numbers, the same digits as the report widget", async () => {
    await fit(WORKBENCH_FORMULA);
    await waitForCriterion("REML criterion at convergence", formatNumber(reference.objective, 6));
    expect(relClose(reference.objective, lme4.fits.REML.objective, 1e-6)).toBe(true);
    expect(await page.locator(".lmm-error").count()).toBe(0);
    const rows = await fixedTable();
    const expected = coefficients(reference, { ddf: "satterthwaite" });
    expect(rows.map((r) => r[0])).toEqual(expected.map((c) => c.name));
    rows.forEach((r, i) => {
      expect(r[1]).toBe(formatNumber(expected[i].estimate));
      expect(r[2]).toBe(formatNumber(expected[i].stdError));
      expect(r[3]).toBe(formatNumber(expected[i].df));
    });
    const text = await reportText();
    expect(text).toContain(`on ${lme4.fits.REML.nobs} observations (site:patient: 73, site: 8)`);
    expect(text).toContain(`${lme4.rows - lme4.fits.REML.nobs} rows with missing values were left out (missing feature:`);
    expect(await page.locator(".lmm-dropped tbody tr").count()).toBe(lme4.rows - lme4.fits.REML.nobs);
  }, 90_000);

  it("draws every diagnostic: caterpillars, residuals, Q-Q with envelopes, shrinkage, influence, cross-validation", async () => {
    // Every long step done: no progress panel left, the last results shown.
    await page.locator(".lmm-loso").waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => document.querySelectorAll(".lmm-job").length === 0 && document.querySelectorAll(".lmm-figure").length >= 8, null, { timeout: 120_000 });
    for (const title of ["Conditional modes of site:patient", "Conditional modes of site with", "Residuals against fitted values", "Normal Q-Q plots of residuals and conditional modes", "Shrinkage of site", "Influence of each site: Cook's distance", "DFBETAS", "Leave-one-site-out prediction error"]) {
      expect(await page.getByText(title, { exact: false }).count(), title).toBeGreaterThan(0);
    }
    // One Q-Q panel each for the residuals and the three random-effect columns, each with its envelope.
    expect(await page.locator(".lmm-figure svg[class^='plot'] g[aria-description='envelope']").count()).toBe(4);
    await page.screenshot({ path: join(screenshotDir, "workbench-fitted.png"), fullPage: true });
    expect(await cellErrors(page)).toEqual([]);
  }, 150_000);

  it("downloads the tidy tables: fixed effects, random-effect parameters, conditional modes, augmented data", async () => {
    const ref = lme4.fits.REML;
    const fixed = csvRows((await download("Download fixed effects (CSV)")).bytes);
    expect(fixed.map((r) => r.term)).toEqual(ref.fixef.map((f) => f.term));
    fixed.forEach((r, i) => {
      expect(relClose(+r.estimate, ref.fixef[i].estimate, 1e-4), `estimate of ${r.term}`).toBe(true);
      expect(relClose(+r["std.error"], ref.fixef[i].std_error, 1e-3), `se of ${r.term}`).toBe(true);
      expect(relClose(+r.df, ref.fixef[i].df, 1e-3), `Satterthwaite df of ${r.term}`).toBe(true);
    });
    const pars = csvRows((await download("Download random-effect parameters (CSV)")).bytes);
    const sd = (group: string, term: string) => +pars.find((p) => p.group === group && p.term === term)!.estimate;
    const vc = (grp: string, var1: string | null, var2: string | null = null) => ref.varcorr.find((v) => v.grp === grp && v.var1 === var1 && v.var2 === var2)!.sdcor;
    expect(relClose(sd("site", "sd__(Intercept)"), vc("site", "(Intercept)"), 1e-3)).toBe(true);
    expect(relClose(sd("site:patient", "sd__time"), vc("site:patient", "time"), 1e-3)).toBe(true);
    expect(relClose(sd("site:patient", "cor__(Intercept).time"), vc("site:patient", "(Intercept)", "time"), 1e-3, 1e-3)).toBe(true);
    expect(relClose(sd("Residual", "sd__Observation"), ref.sigma, 1e-4)).toBe(true);
    const modes = csvRows((await download("Download conditional modes with 95% intervals (CSV)")).bytes).filter((r) => r.group === "site");
    expect(modes.map((m) => m.level)).toEqual(ref.site_modes.level);
    modes.forEach((m, i) => {
      expect(Math.abs(+m.estimate - ref.site_modes.intercept[i])).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(ref.site_modes.intercept[i])));
      expect(relClose(+m["std.error"], ref.site_modes.cond_sd[i], 1e-3)).toBe(true);
      expect(+m["conf.low"]).toBeLessThan(+m.estimate);
    });
    const augmented = csvRows((await download("Download data with fitted values and residuals (CSV)")).bytes);
    expect(augmented).toHaveLength(lme4.rows);
    expect(Object.keys(augmented[0])).toEqual(["site", "patient", "grade", "time", "scanner", "feature", ".fitted", ".fixed", ".resid", ".hat", ".dropped"]);
    expect(augmented.filter((r) => r[".dropped"] === "true")).toHaveLength(lme4.rows - ref.nobs);
    const fitted = reference.fitted();
    reference.structure.rows.forEach((row, i) => expect(Math.abs(+augmented[row][".fitted"] - fitted[i])).toBeLessThan(1e-8));
  }, 90_000);

  it("downloads the report as one HTML page and the analysis plan with the data's fingerprint", async () => {
    const html = (await download("Download the report (standalone HTML)")).bytes.toString("utf8");
    const doc = new JSDOM(html).window.document;
    expect(doc.querySelector("script")).toBeNull();
    expect(doc.querySelectorAll("table").length).toBe(3);
    expect(doc.body.textContent).toContain(`REML criterion at convergence${formatNumber(reference.objective, 6)}`);
    const plan = JSON.parse((await download("Download the analysis plan with data fingerprint (JSON)")).bytes.toString("utf8"));
    expect(plan.plan.formula).toBe(WORKBENCH_FORMULA);
    expect(plan.plan.ddf).toBe("satterthwaite");
    expect(plan.plan.reml).toBe(true);
    expect(plan.plan.diagnostics.map((d: { name: string }) => d.name)).toEqual(["residuals", "qq", "shrinkage", "influence", "loso"]);
    expect(plan.plan.contrasts.grade).toEqual({ type: "treatment", reference: "G1" });
    expect(plan.planFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.data.fingerprint).toBe(await dataFingerprint(used));
  }, 60_000);

  it("downloads every figure as SVG and as PNG", async () => {
    const buttons = await page.locator(".lmm-figure .lmm-download").allTextContents();
    expect(buttons.length).toBeGreaterThanOrEqual(16);
    for (const text of buttons) {
      const file = await download(text);
      if (text.endsWith("(SVG)")) {
        expect(file.name.endsWith(".svg"), text).toBe(true);
        const svg = new JSDOM(file.bytes.toString("utf8"), { contentType: "image/svg+xml" }).window.document;
        expect(svg.documentElement.tagName, text).toBe("svg");
        expect(svg.querySelector("parsererror"), text).toBeNull();
      } else {
        expect(file.name.endsWith(".png"), text).toBe(true);
        expect(file.bytes.subarray(0, 8).toString("hex"), text).toBe("89504e470d0a1a0a");
        expect(file.bytes.readUInt32BE(16), `${text}: PNG width`).toBeGreaterThan(200);
      }
    }
  }, 180_000);

  it("recomputes the tests with Kenward–Roger df, and refits by ML", async () => {
    await page.getByLabel("Kenward–Roger").check();
    await page.waitForFunction(() => (document.querySelector(".lmm-report-host")?.shadowRoot?.textContent ?? "").includes("Kenward–Roger df"), null, { timeout: 60_000 });
    const kr = coefficients(reference, { ddf: "kenward-roger" });
    (await fixedTable()).forEach((r, i) => {
      expect(r[3]).toBe(formatNumber(kr[i].df));
      expect(relClose(kr[i].df, lme4.fits.REML.fixef[i].df_kr!, 1e-3)).toBe(true);
    });
    await page.getByLabel("Satterthwaite").check();
    await page.getByLabel("ML", { exact: true }).check();
    const ml = lmm(WORKBENCH_FORMULA, used, { reml: false });
    expect(relClose(ml.objective, lme4.fits.ML.objective, 1e-6)).toBe(true);
    await waitForCriterion("Deviance", formatNumber(ml.objective, 6));
    (await fixedTable()).forEach((r, i) => expect(relClose(+r[1], lme4.fits.ML.fixef[i].estimate, 1e-3)).toBe(true));
    await page.getByLabel("REML", { exact: true }).check();
    await waitForCriterion("REML criterion at convergence", formatNumber(reference.objective, 6));
  }, 120_000);

  it("a reference level chosen in the column panel changes the contrasts", async () => {
    await page.locator('.lmm-column-panel tr[data-column="grade"] select.lmm-reference').selectOption("G3");
    await page.waitForFunction(() => (document.querySelector(".lmm-report-host")?.shadowRoot?.textContent ?? "").includes("gradeG1"), null, { timeout: 60_000 });
    const relevelled = lmm(WORKBENCH_FORMULA, used, { levels: { grade: ["G3", "G1", "G2"] } });
    expect((await fixedTable()).map((r) => r[0])).toEqual(relevelled.fixefNames);
    await page.locator('.lmm-column-panel tr[data-column="grade"] select.lmm-reference').selectOption("G1");
  }, 60_000);

  it("a file dropped anywhere on the page is loaded like a chosen one", async () => {
    await refitAfter(async () => {
      const transfer = await page.evaluateHandle((text) => {
        const t = new DataTransfer();
        t.items.add(new File([text], "dropped.csv", { type: "text/csv" }));
        return t;
      }, csv);
      await page.dispatchEvent("body", "drop", { dataTransfer: transfer });
    });
    await waitForLoaded(`dropped.csv: ${lme4.rows} rows`);
    await waitForCriterion("REML criterion at convergence", formatNumber(reference.objective, 6));
  }, 60_000);

  it("reads the same table from Parquet and from Arrow IPC", async () => {
    const t = aqTable(columns as Record<string, ArrayLike<unknown>>);
    const arrowPath = join(dir, "features.arrow");
    writeFileSync(arrowPath, toArrowIPC(t, { format: "file" }));
    const parquetPath = join(dir, "features.parquet");
    writeFileSync(parquetPath, writeParquet(WasmTable.fromIPCStream(toArrowIPC(t, { format: "stream" }))));
    for (const [path, format] of [[parquetPath, "PARQUET"], [arrowPath, "ARROW"]]) {
      // The formula stays; the model is refitted to the new file's columns: the same fit.
      await refitAfter(() => page.locator(".lmm-file-input").setInputFiles(path));
      await waitForLoaded(`${lme4.rows} rows, 6 columns (${format}`);
      await waitForCriterion("REML criterion at convergence", formatNumber(reference.objective, 6));
    }
    await page.screenshot({ path: join(screenshotDir, "workbench-parquet.png"), fullPage: false });
    expect(await cellErrors(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);
});
