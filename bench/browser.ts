// The workbench page in Debian's Chromium fitting a large Parquet file through DuckDB-wasm (issue 19's
// browser target: 10 M rows without freezing the page). Prints the time from choosing the file to the
// printed summary and the longest gap between animation frames of the page's main thread (a frozen page
// shows as a long gap). Not run by CI; the test test/browser/workbenchDuckdb.test.ts checks the answer.
//   node --conditions=source --import tsx bench/browser.ts [--rows 1e7]
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { duckdbEngine } from "@lmm/sql/duckdb";
import { openSite } from "../test/browser/harness.js";

const FORMULA = "y ~ x + (1 | g)";

/** n rows of y = 2 + 0.5 x + u_g + e over 200 groups, written by DuckDB (seeded). */
async function writeCells(path: string, n: number): Promise<void> {
  const engine = await duckdbEngine();
  try {
    await engine.run("SELECT setseed(0.21)");
    await engine.run("CREATE TABLE u AS SELECT range AS g, (random() + random() + random() - 1.5) * 2.0 AS u FROM range(200)");
    await engine.run(
      `COPY (SELECT t.g, t.x, 2 + 0.5 * t.x + u.u + (random() + random() + random() + random() - 2.0) * 3.0 AS y
            FROM (SELECT i % 200 AS g, (hash(i) % 10000) / 1000.0 - 5 AS x FROM range(${n}) r(i)) t JOIN u USING (g))
       TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)`,
    );
  } finally {
    engine.close();
  }
}

/** Seconds from the upload to the summary, the longest frame gap (ms) and the page's fit line. */
export async function benchBrowser(options: { rows: number } = { rows: 1e7 }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "lmm-bench-browser-"));
  const path = join(dir, "cells.parquet");
  const site = await openSite();
  try {
    if (!existsSync(path)) await writeCells(path, options.rows);
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(new URL("workbench.html", site.url).href);
    await page.locator(".lmm-file-input").waitFor();
    // A string, not a function: tsx's transform would wrap a function in a helper the page lacks.
    await page.evaluate(`(() => {
      window.maxFrameGap = 0;
      let last = performance.now();
      const tick = (now) => { window.maxFrameGap = Math.max(window.maxFrameGap, now - last); last = now; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    const started = performance.now();
    await page.locator(".lmm-file-input").setInputFiles(path);
    await page.locator(".lmm-large").waitFor({ timeout: 120_000 });
    await page.locator(".lmm-formula-text").fill(FORMULA);
    await page.locator(".lmm-fit").click();
    await page.locator(".lmm-duckdb-summary").waitFor({ timeout: 300_000 });
    const seconds = (performance.now() - started) / 1000;
    const gap = (await page.evaluate("window.maxFrameGap")) as number;
    const fitted = (await page.locator(".lmm-duckdb-fitted").textContent())?.trim();
    console.log(`\n# Workbench in Chromium, Parquet through DuckDB-wasm: ${FORMULA}`);
    console.log(`  ${options.rows.toExponential(0)} rows (${(statSync(path).size / 2 ** 20).toFixed(0)} MB): upload to summary ${seconds.toFixed(1)} s, longest main-thread pause ${gap.toFixed(0)} ms; ${fitted}`);
  } finally {
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  await benchBrowser({ rows: args.includes("--rows") ? Number(args[args.indexOf("--rows") + 1]) : 1e7 });
}
