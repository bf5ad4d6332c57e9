// A long step of a notebook cell, run with a progress bar, elapsed time and a Cancel button. A
// cancelled step offers "Run again"; a failed one shows its error once, here, and its dependants wait.
import { h } from "./dom.js";
import { errorMessage, isCancel, untilRerun } from "./status.js";

/** What a long step gets: the signal of the Cancel button and a progress callback. */
export interface JobControl {
  signal: AbortSignal;
  /** The worker pool's progress callback: payloads done of total, and the fraction of the work done. */
  onProgress: (done: number, total: number, fraction: number) => void;
}

/**
 * The panel of one long step. Display `job.element` in the cell, then `await job.run(work)`: it
 * resolves to the work's result (and clears the panel), or — on a failure — shows the error in the
 * panel and stays pending until the cell reruns, so cells that depend on this one keep waiting
 * instead of repeating the error. When the cell reruns (`invalidation`), the running work is aborted.
 *
 * @example
 * ```js
 * const job = new Job("Q-Q envelope (99 simulated refits)", invalidation);
 * display(job.element);
 * const qqData = await job.run((control) => qqInWorker(model, data, {nsim: 99}, control));
 * ```
 */
export class Job {
  readonly element: HTMLElement;
  private controller: AbortController | null = null;
  private invalidated = false;

  constructor(readonly label: string, private readonly invalidation: Promise<unknown>) {
    this.element = h("div", { class: "lmm-job-panel" });
    invalidation.then(() => {
      this.invalidated = true;
      this.controller?.abort(new DOMException("the cell reran", "AbortError"));
    });
  }

  /** Runs the work (again after a cancel, when the user asks) and resolves to its result. */
  async run<T>(work: (control: JobControl) => Promise<T>): Promise<T> {
    for (;;) {
      const controller = new AbortController();
      this.controller = controller;
      const started = performance.now();
      const bar = h("progress", { max: 1 });
      const count = h("span", { class: "lmm-job-count" }, "");
      const time = h("span", { class: "lmm-job-time" }, "");
      const cancel = h("button", { type: "button", class: "lmm-button lmm-cancel", onclick: () => controller.abort(new DOMException("cancelled by the user", "AbortError")) }, "Cancel");
      this.element.replaceChildren(h("div", { class: "lmm-job", role: "status" }, h("span", { class: "lmm-pending" }, `${this.label}…`), bar, count, time, cancel));
      const ticker = setInterval(() => (time.textContent = `${((performance.now() - started) / 1000).toFixed(1)} s`), 250);
      const onProgress = (_done: number, _total: number, fraction: number) => {
        bar.value = fraction;
        count.textContent = `${Math.floor(fraction * 100)}%`;
      };
      try {
        const value = await work({ signal: controller.signal, onProgress });
        this.element.replaceChildren();
        return value;
      } catch (error) {
        // The cell reran: this run's value is stale and discarded by the runtime.
        if (this.invalidated) return undefined as T;
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        if (isCancel(error) || controller.signal.aborted) {
          const again = h("button", { type: "button", class: "lmm-button lmm-run-again" }, "Run again");
          this.element.replaceChildren(h("div", { class: "lmm-job lmm-cancelled", role: "status" }, `${this.label}: cancelled after ${seconds} s. Results below, if any, are from before.`, again));
          const rerun = await Promise.race([new Promise<boolean>((resolve) => again.addEventListener("click", () => resolve(true), { once: true })), this.invalidation.then(() => false)]);
          if (!rerun) return undefined as T;
          continue;
        }
        this.element.replaceChildren(errorMessage(error, this.label));
        return untilRerun<T>(this.invalidation);
      } finally {
        clearInterval(ticker);
      }
    }
  }
}
