// The workbench's large-data path driven as a user would: the test writes a Parquet file of more
// rows than the workbench reads into the page (DUCKDB_ROWS), uploads it, fits a random-intercept
// model, and reads the fit through DuckDB-wasm off the page. Expected numbers: @lmm/core's in-memory
// `lmm` fit of the same rows, computed here. A requestAnimationFrame probe measures the longest
// pause of the page's main thread while the file is counted, registered and fitted (printed, not
// asserted: timings do not belong in tests). The 10 M rows, by hand:
// LMM_DUCKDB_ROWS=10000000 pnpm exec vitest run test/browser/workbenchDuckdb.test.ts
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { lmm } from "@lmm/core";
import { table as aqTable, toArrowIPC } from "arquero";
import { Table as WasmTable, writeParquet } from "parquet-wasm";
import { DUCKDB_ROWS } from "../../notebooks/lib/workbench/parquetRows.js";
import { cellErrors, collectProblems, openSite, screenshotDir, type Site } from "./harness.js";

const ROWS = Number(process.env.LMM_DUCKDB_ROWS ?? 2 * DUCKDB_ROWS);
const GROUPS = 200;
const FORMULA = "y ~ x + (1 | g)";

/** A seeded table: y = 2 + 0.5 x + u_g + e, with u_g ~ N(0, 1) and e ~ N(0, 2²). */
function simulate(n: number) {
  let state = 12345;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const u = Float64Array.from({ length: GROUPS }, normal);
  const g = new Float64Array(n), x = new Float64Array(n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    g[i] = i % GROUPS;
    x[i] = normal();
    y[i] = 2 + 0.5 * x[i] + u[g[i]] + 2 * normal();
  }
  return { g, x, y };
}

const data = simulate(ROWS);
const dir = mkdtempSync(join(tmpdir(), "lmm-workbench-duckdb-"));
const parquetPath = join(dir, "cells.parquet");
writeFileSync(parquetPath, writeParquet(WasmTable.fromIPCStream(toArrowIPC(aqTable(data), { format: "stream" }))));
const reference = lmm(FORMULA, data);
const sig = (x: number) => String(Number(x.toPrecision(4)));

let site: Site;
let page: Page;
let problems: string[];
beforeAll(async () => {
  site = await openSite();
  page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  problems = collectProblems(page);
  await page.goto(new URL("workbench.html", site.url).href);
  await page.locator(".lmm-file-input").waitFor();
}, 240_000);
afterAll(async () => {
  await site?.close();
});

describe("workbench: a large Parquet file fitted through DuckDB-wasm", () => {
  it("fits from sums in DuckDB-wasm with the in-memory fit's estimates, the page staying responsive", async () => {
    // The longest gap between animation frames from the upload to the printed summary.
    await page.evaluate(() => {
      const w = window as unknown as { maxFrameGap: number };
      w.maxFrameGap = 0;
      let last = performance.now();
      const tick = (now: number) => {
        w.maxFrameGap = Math.max(w.maxFrameGap, now - last);
        last = now;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const started = Date.now();
    await page.locator(".lmm-file-input").setInputFiles(parquetPath);
    await page.waitForFunction(() => document.querySelector(".lmm-large") !== null, null, { timeout: 60_000 });
    expect(await page.locator(".lmm-large").textContent()).toContain(`${ROWS.toLocaleString("en")} rows`);
    await page.locator(".lmm-formula-text").fill(FORMULA);
    await page.locator(".lmm-fit").click();
    await page.locator(".lmm-duckdb-summary").waitFor({ timeout: 120_000 });
    const seconds = (Date.now() - started) / 1000;
    const maxGap = await page.evaluate(() => (window as unknown as { maxFrameGap: number }).maxFrameGap);
    console.log(`workbench through DuckDB-wasm: ${ROWS.toLocaleString("en")} rows (${(statSync(parquetPath).size / 1e6).toFixed(0)} MB of Parquet), upload to summary ${seconds.toFixed(1)} s, longest main-thread pause ${maxGap.toFixed(0)} ms; ${await page.locator(".lmm-duckdb-fitted").textContent()}`);
    await page.screenshot({ path: join(screenshotDir, "workbench-duckdb.png"), fullPage: false });

    const json = JSON.parse((await page.locator(".lmm-duckdb-summary").getAttribute("data-fit"))!) as { nobs: number; objective: number; sigma: number; theta: number[]; fixef: Record<string, { estimate: number; se: number }> };
    expect(json.nobs).toBe(ROWS);
    // The tolerances of packages/sql's same-fit checks (two optimisations of the same criterion):
    // the 1e-10 relative criterion, the repository's 1e-4 for fixed effects and 1e-3 for θ.
    expect(Math.abs(json.objective - reference.objective) / Math.abs(reference.objective)).toBeLessThan(1e-10);
    expect(Math.abs(json.theta[0] - reference.theta[0])).toBeLessThan(1e-3);
    expect(Math.abs(json.sigma - reference.sigma) / reference.sigma).toBeLessThan(1e-4);
    const text = (await page.locator(".lmm-duckdb-summary").textContent())!;
    for (const f of reference.fixef()) {
      expect(Math.abs(json.fixef[f.name].estimate - f.estimate)).toBeLessThan(1e-4 * Math.max(1, Math.abs(f.estimate)));
      expect(Math.abs(json.fixef[f.name].se - f.stdError) / f.stdError).toBeLessThan(1e-4);
      expect(text).toContain(sig(f.estimate));
    }
    expect(text).toContain(`Number of obs: ${ROWS}, groups:  g, ${GROUPS}`);
    expect(text).toContain(`REML criterion at convergence: ${String(Number(reference.objective.toPrecision(5)))}`);
    expect(await page.locator(".lmm-duckdb-unavailable").textContent()).toContain("need the rows");
    // The rows were never read into the page: no column panel, no in-memory report.
    expect(await page.locator(".lmm-report-host").count()).toBe(0);
    expect(await cellErrors(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 180_000);
});
