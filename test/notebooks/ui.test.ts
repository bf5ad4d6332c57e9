// @vitest-environment jsdom
// The notebooks' controls in jsdom: the formula box submits only when asked, a long step can be
// cancelled and run again, a failure is one message with the error's own name, results go stale.
import { describe, expect, it, vi } from "vitest";
import { FormulaSyntaxError, lmm } from "@lmm/core";
import { WorkerTaskError } from "@lmm/core/parallel";
import { formulaInput } from "../../notebooks/lib/ui/formulaInput.js";
import { Job, type JobControl } from "../../notebooks/lib/ui/job.js";
import { describeError, errorMessage, markStale, result } from "../../notebooks/lib/ui/status.js";
import { downloadButton, safeFileName } from "../../notebooks/lib/ui/download.js";

const key = (target: Element, init: KeyboardEventInit) => target.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true, ...init }));
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("the formula box", () => {
  it("typing is not a new value; Enter, Ctrl/Cmd+Enter or Fit is", () => {
    const form = formulaInput({ value: "y ~ x + (1 | g)" });
    document.body.append(form);
    const values: string[] = [];
    form.addEventListener("input", () => values.push(form.value));
    const text = form.querySelector("textarea")!;
    text.value = "y ~ x + z + (1 | g)";
    text.dispatchEvent(new Event("input", { bubbles: true }));
    expect(values).toEqual([]);
    key(text, {});
    expect(values).toEqual(["y ~ x + z + (1 | g)"]);
    // Shift+Enter starts a new line; then Enter is a new line too, and Ctrl/Cmd+Enter fits.
    expect(key(text, { shiftKey: true })).toBe(true);
    text.value = "y ~ x +\nz + (1 | g)";
    expect(key(text, {})).toBe(true);
    expect(values).toHaveLength(1);
    key(text, { ctrlKey: true });
    key(text, { metaKey: true });
    expect(values).toEqual(["y ~ x + z + (1 | g)", "y ~ x + z + (1 | g)", "y ~ x + z + (1 | g)"]);
    form.querySelector<HTMLButtonElement>("button.lmm-fit")!.click();
    expect(values).toHaveLength(4);
    expect(text.style.width).toBe("100%");
  });
});

describe("a long step", () => {
  const slow = (control: JobControl) =>
    new Promise<number>((resolve, reject) => {
      control.onProgress(1, 4, 0.25);
      control.signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { code: "ABORTED" })));
      setTimeout(() => resolve(42), 30);
    });

  it("shows progress, can be cancelled, and runs again when asked", async () => {
    const job = new Job("Refitting", new Promise(() => {}));
    document.body.append(job.element);
    let runs = 0;
    const value = job.run((control) => (runs++, slow(control)));
    expect(job.element.querySelector("progress")!.value).toBe(0.25);
    expect(job.element.textContent).toContain("25%");
    job.element.querySelector<HTMLButtonElement>(".lmm-cancel")!.click();
    await tick();
    expect(job.element.textContent).toContain("Refitting: cancelled after");
    job.element.querySelector<HTMLButtonElement>(".lmm-run-again")!.click();
    expect(await value).toBe(42);
    expect(runs).toBe(2);
    expect(job.element.childNodes).toHaveLength(0);
  });

  it("a failure is one message in the panel, and the step waits until the cell reruns", async () => {
    let rerun!: () => void;
    const invalidation = new Promise<void>((r) => (rerun = r));
    const job = new Job("Fitting", invalidation);
    let settled = false;
    const value = job.run(async () => lmm("y ~ x + (1 | g", { y: [1, 2], x: [1, 2], g: ["a", "b"] })).finally(() => (settled = true));
    await tick();
    expect(job.element.querySelectorAll(".lmm-error")).toHaveLength(1);
    expect(job.element.querySelector(".lmm-error")!.getAttribute("data-error-name")).toBe("FormulaSyntaxError");
    expect(job.element.textContent).toMatch(/\n\s*\^/);
    expect(settled).toBe(false);
    rerun();
    await value;
    expect(settled).toBe(true);
  });
});

describe("errors and stale results", () => {
  it("an error is described by its own class name and code, a worker's by the error it threw", () => {
    const syntax = new FormulaSyntaxError("y ~", 3, "a term");
    expect(describeError(syntax)).toMatchObject({ name: "FormulaSyntaxError", code: "FORMULA_SYNTAX" });
    const wrapped = new WorkerTaskError({ task: "fit", index: 0, label: undefined, partial: [] }, { name: "InvalidValueError", message: 'column "y", row 3: "x" is not a number', code: "INVALID_VALUE" });
    expect(describeError(wrapped)).toEqual({ name: "InvalidValueError", code: "INVALID_VALUE", message: 'column "y", row 3: "x" is not a number' });
  });

  it("messages from the data are text, never markup", () => {
    const box = errorMessage(new Error("<img src=x onerror=alert(1)>"));
    expect(box.querySelector("img")).toBeNull();
    expect(box.textContent).toContain("<img src=x onerror=alert(1)>");
  });

  it("marks only the results of the computation that reruns", () => {
    const a = result("model", "fit"), b = result("gwas", "scan");
    document.body.append(a, b);
    markStale("model");
    expect(a.classList.contains("lmm-stale")).toBe(true);
    expect(b.classList.contains("lmm-stale")).toBe(false);
  });

  it("a download made at once is saved; one that outlasted the click's grace period becomes a link to click", async () => {
    URL.createObjectURL ??= () => "blob:test";
    URL.revokeObjectURL ??= () => {};
    const clicks: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    const quick = downloadButton("Download a (CSV)", "a.csv", () => new Blob(["x"]));
    quick.querySelector("button")!.click();
    await tick();
    expect(clicks).toEqual(["a.csv"]);
    let now = 0;
    const clock = vi.spyOn(performance, "now").mockImplementation(() => now);
    const slow = downloadButton("Download b (CSV)", "b.csv", async () => ((now += 5000), new Blob(["y"])));
    slow.querySelector("button")!.click();
    await tick();
    expect(clicks).toEqual(["a.csv"]);
    const link = slow.querySelector<HTMLAnchorElement>("a.lmm-save-link")!;
    expect(link.download).toBe("b.csv");
    expect(link.textContent).toBe("Save b.csv");
    const failing = downloadButton("Download c (CSV)", "c.csv", () => Promise.reject(new RangeError("too big")));
    failing.querySelector("button")!.click();
    await tick();
    expect(failing.querySelector(".lmm-error")!.textContent).toContain("RangeError");
    click.mockRestore();
    clock.mockRestore();
  });

  it("file names from any text", () => {
    expect(safeFileName("my data (v2).csv-caterpillar-site:patient")).toBe("my_data_v2_.csv-caterpillar-site_patient");
    expect(safeFileName("../../etc/passwd")).toBe("etc_passwd");
  });
});
