// Every notebook opened in Debian's Chromium: every cell runs without error, the expected plots
// exist, a formula edit changes a result, the omics fit can be cancelled, and the report widget
// renders in a plain page. Screenshots go to test-results/screenshots/ for people to look at.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cellErrors, collectProblems, openSite, repoRoot, screenshotDir, waitForCount, type Site } from "./harness.js";

let site: Site;
beforeAll(async () => {
  site = await openSite();
}, 240_000);
afterAll(async () => {
  await site?.close();
});

/** Plot figures: Observable Plot's svgs (a panelled figure counts each panel). */
const PLOTS = "main svg[class^='plot']";

interface NotebookCase {
  file: string;
  /** Minimum number of Plot svgs once every cell has run. */
  plots: number;
  /** Text that appears once the last asynchronous cell has run. */
  ready: string;
}

const NOTEBOOKS: NotebookCase[] = [
  { file: "clinics.html", plots: 8, ready: "Flagged clinics" },
  { file: "gwas.html", plots: 4, ready: "two independent implementations" },
  { file: "plan.html", plots: 3, ready: "plan fingerprint matches" },
  { file: "radiomics.html", plots: 7, ready: "Predicting the site from the features" },
  { file: "tma.html", plots: 5, ready: "Grade effects per feature" },
  { file: "workbench.html", plots: 0, ready: "Nothing is uploaded" },
  { file: "omics.html", plots: 2, ready: "features/s on 2 workers" },
  { file: "index.html", plots: 0, ready: "Omics scale" },
];

async function openNotebook(file: string) {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = collectProblems(page);
  await page.goto(new URL(file, site.url).href);
  return { page, problems };
}

describe("notebook sources", () => {
  it("no markdown cell interpolates a computed value (its static render would show empty slots while the value computes)", () => {
    const dir = join(repoRoot, "notebooks");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".html"))) {
      const markdown = [...readFileSync(join(dir, file), "utf8").matchAll(/<script type="text\/markdown">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
      for (const cell of markdown) expect(cell.includes("${"), `${file}: ${cell.trim().slice(0, 60)}`).toBe(false);
    }
  });
});

describe("notebooks in a real browser", () => {
  for (const nb of NOTEBOOKS) {
    it(`${nb.file}: every cell runs, ${nb.plots}+ plots`, async () => {
      const { page, problems } = await openNotebook(nb.file);
      await page.getByText(nb.ready, { exact: false }).first().waitFor({ timeout: 120_000 });
      const plots = await waitForCount(page, PLOTS, nb.plots, 120_000);
      await page.screenshot({ path: join(screenshotDir, nb.file.replace(".html", ".png")), fullPage: true });
      expect(await cellErrors(page)).toEqual([]);
      expect(problems).toEqual([]);
      expect(plots).toBeGreaterThanOrEqual(nb.plots);
      await page.close();
    }, 180_000);
  }

  it("clinics.html: a bad formula is one error by the box, with its class name; editing the formula refits", async () => {
    const { page, problems } = await openNotebook("clinics.html");
    await page.getByText("Flagged clinics").first().waitFor({ timeout: 120_000 });
    const box = page.locator(".lmm-formula-text");
    // The box is the width of the page's column, not the theme's 240 px text input.
    expect((await box.boundingBox())!.width).toBeGreaterThan(600);
    const criterion = async () => (await page.locator(".lmm-report-host").first().evaluate((host) => host.shadowRoot!.textContent ?? "")).match(/REML criterion at convergence([\d.\-]+)/)?.[1];
    const before = await criterion();
    await box.fill("y ~ program * time + (1 | clinic) + (1 | clinic:patient");
    await box.press("Enter");
    await page.locator(".lmm-error").first().waitFor({ timeout: 30_000 });
    expect(await page.locator(".lmm-error").count()).toBe(1);
    expect(await page.locator(".lmm-error").getAttribute("data-error-name")).toBe("FormulaSyntaxError");
    expect(await page.locator(".lmm-error").textContent()).toContain("FORMULA_SYNTAX");
    // The results of the last good fit stay, marked stale.
    expect(await page.locator(".lmm-result.lmm-stale").count()).toBeGreaterThan(0);
    expect(await cellErrors(page)).toEqual([]);
    await box.fill("y ~ program * time + (1 | clinic) + (1 | clinic:patient)");
    await page.getByRole("button", { name: "Fit" }).click();
    await page.waitForFunction((old) => {
      const host = document.querySelector(".lmm-report-host");
      const text = host?.shadowRoot?.textContent ?? "";
      return text.includes("REML criterion at convergence") && !text.includes(`REML criterion at convergence${old}`);
    }, before, { timeout: 60_000 });
    expect(await criterion()).not.toBe(before);
    expect(await page.locator(".lmm-error").count()).toBe(0);
    // The prose prints the report's digits.
    const estimate = await page.locator(".lmm-report-host").first().evaluate((host) => [...host.shadowRoot!.querySelectorAll("tbody tr")].find((tr) => tr.firstElementChild?.textContent === "programyes:time")!.children[1].textContent);
    expect(await page.locator(".program-effect strong").first().textContent()).toBe(estimate);
    expect(await cellErrors(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it("gwas.html: a new number of PCs marks the old results stale until the new scans arrive", async () => {
    const { page, problems } = await openNotebook("gwas.html");
    await page.getByText("two independent implementations").first().waitFor({ timeout: 120_000 });
    expect(await page.locator(".lmm-result.lmm-stale").count()).toBe(0);
    const slider = page.locator("input[type=range]").first();
    await slider.fill("3");
    await page.locator(".lmm-result.lmm-stale").first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelectorAll(".lmm-result.lmm-stale").length === 0 && document.querySelectorAll(".lmm-result").length > 0, null, { timeout: 120_000 });
    expect(await page.getByText("3 principal components", { exact: false }).count()).toBeGreaterThan(0);
    expect(await cellErrors(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it("omics.html: the cancel button stops the fit and leaves no worker running", async () => {
    const { page, problems } = await openNotebook("omics.html");
    // The largest size, so that the fit is still running when the button is pressed.
    await page.locator("select").first().selectOption({ index: 3 });
    await page.waitForFunction(() => {
      const count = document.querySelector(".omics-count")?.textContent ?? "";
      const done = Number(count.split("/")[0]);
      return count.includes("5000") && done > 0;
    }, null, { timeout: 60_000 });
    await page.locator(".omics-cancel").click();
    await page.getByText("Cancelled after").waitFor({ timeout: 30_000 });
    const count = await page.locator(".omics-count").textContent();
    const done = Number(count!.split("/")[0]);
    expect(done).toBeLessThan(5000);
    // After the abort nothing advances: the counter stays where it stopped.
    await page.waitForTimeout(1500);
    expect(await page.locator(".omics-count").textContent()).toBe(count);
    expect(await cellErrors(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it("report-demo.html: the widget renders in a plain page from one script import", async () => {
    const { page, problems } = await openNotebook("report-demo.html");
    await page.waitForFunction(() => (document.querySelector("lmm-report")?.shadowRoot?.querySelectorAll("table").length ?? 0) >= 3, null, { timeout: 30_000 });
    const text = await page.locator("lmm-report").evaluate((el) => el.shadowRoot!.textContent!);
    expect(text).toContain("programyes:time");
    expect(text).toContain("Satterthwaite");
    await page.screenshot({ path: join(screenshotDir, "report-demo.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
