// Builds the notebooks once, serves them on 127.0.0.1 and drives Debian's Chromium with
// playwright-core (never a downloaded browser).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { serve } from "../../notebooks/scripts/serve.js";
import { launchChromium } from "./chromium.js";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const screenshotDir = join(repoRoot, "test-results", "screenshots");

export interface Site {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds the notebooks into a fresh folder, serves it and launches Chromium. */
export async function openSite(): Promise<Site> {
  const out = mkdtempSync(join(tmpdir(), "lmm-notebooks-"));
  const built = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", join(repoRoot, "notebooks", "scripts", "build.ts"), out], { cwd: join(repoRoot, "notebooks"), encoding: "utf8" });
  if (built.status !== 0) throw new Error(`notebook build failed:\n${built.stdout}\n${built.stderr}`);
  const { server, url } = await serve(out);
  const browser = await launchChromium();
  mkdirSync(screenshotDir, { recursive: true });
  return { url, browser, close: async () => (await browser.close(), await closeServer(server)) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => server.close(() => ok()));
}

/** What went wrong on a page: uncaught errors, console errors and failed requests. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  return problems;
}

/** Waits until `selector` matches at least `count` elements (cells settle asynchronously). */
export async function waitForCount(page: Page, selector: string, count: number, timeout = 60_000): Promise<number> {
  await page.waitForFunction(([s, c]) => document.querySelectorAll(s as string).length >= (c as number), [selector, count], { timeout, polling: 200 });
  return page.locator(selector).count();
}

/** Cell errors shown by the notebook runtime. */
export async function cellErrors(page: Page): Promise<string[]> {
  return page.$$eval(".observablehq--error", (nodes) => nodes.map((n) => n.textContent ?? ""));
}
