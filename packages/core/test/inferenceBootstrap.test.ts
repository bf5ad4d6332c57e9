// Parametric bootstrap: refit k draws from Rng.stream(seed, k), so a seed gives a bit-identical
// table in this thread, with 0 (in-process pool), 1 and 2 workers; intervals are checked against
// lme4's profile intervals on sleepstudy (the percentile intervals must cover their centres).
import { describe, expect, it } from "vitest";
import { bootstrap, bootstrapSync, confint, lmm, type BootstrapResult } from "@lmm/core";
import { RunAbortedError } from "@lmm/core/parallel";
import { loadCase, loadDataset } from "../../../test/support/reference.js";

const c = loadCase("sleepstudy__slope_corr__REML");
const ds = loadDataset(c.dataset.name);
const model = lmm(c.model.formula, ds.data, { levels: ds.levels });

function expectIdentical(a: BootstrapResult, b: BootstrapResult, label: string) {
  expect(b.parameters).toEqual(a.parameters);
  for (const p of a.parameters) {
    const x = a.table[p], y = b.table[p];
    expect(y.length).toBe(x.length);
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) expect.fail(`${label}: ${p}[${i}] ${y[i]} ≠ ${x[i]}`);
  }
}

describe("bootstrap", () => {
  it("is reproducible: identical tables in this thread and with 0, 1 and 2 workers", async () => {
    const serial = bootstrapSync(model, 60, { seed: 11 });
    expect(serial.n).toBe(60);
    expect(serial.failures).toBe(0);
    for (const workers of [0, 1, 2]) expectIdentical(serial, await bootstrap(model, 60, { seed: 11, workers }), `${workers} workers`);
    const other = bootstrapSync(model, 60, { seed: 12 });
    expect(other.table.sigma).not.toEqual(serial.table.sigma); // the seed matters
  });

  it("percentile intervals cover the centres of lme4's profile intervals; shortest intervals are no wider", async () => {
    const boot = await bootstrap(model, 400, { seed: 2024, workers: 2 });
    expect(boot.failures).toBe(0);
    const intervals = boot.intervals(0.95);
    expect(intervals.map((i) => i.parameter)).toEqual(c.confint_profile.rows.map((r: { parameter: string }) => r.parameter));
    intervals.forEach((iv, j) => {
      const ref = c.confint_profile.rows[j];
      const centre = (ref.lower + ref.upper) / 2;
      expect(iv.percentile[0], `${iv.parameter} lower`).toBeLessThan(centre);
      expect(iv.percentile[1], `${iv.parameter} upper`).toBeGreaterThan(centre);
      expect(iv.shortest[1] - iv.shortest[0]).toBeLessThanOrEqual(iv.percentile[1] - iv.percentile[0] + 1e-12);
      expect(boot.estimates[j]).toBeGreaterThan(iv.percentile[0]);
      expect(boot.estimates[j]).toBeLessThan(iv.percentile[1]);
    });
  });

  it("reports monotone progress to the total, and aborts with RunAbortedError", async () => {
    const seen: number[] = [];
    await bootstrap(model, 40, { seed: 1, workers: 0, onProgress: (done, total) => (expect(total).toBe(40), seen.push(done)) });
    expect(seen.at(-1)).toBe(40);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    const controller = new AbortController();
    const run = bootstrap(model, 5000, { seed: 1, workers: 1, signal: controller.signal, onProgress: (done) => done > 5 && controller.abort() });
    await expect(run).rejects.toBeInstanceOf(RunAbortedError);
  });

  it("confint(method: 'boot') gives the percentile intervals of the in-thread run", () => {
    const rows = confint(model, { method: "boot", nsim: 50, seed: 5 });
    const boot = bootstrapSync(model, 50, { seed: 5 }).intervals(0.95);
    expect(rows).toEqual(boot.map((b) => ({ parameter: b.parameter, lower: b.percentile[0], upper: b.percentile[1] })));
  });

  it("rejects bad n and seed with typed errors", async () => {
    await expect(bootstrap(model, 0)).rejects.toThrow(/invalid n: 0/);
    expect(() => bootstrapSync(model, 10, { seed: -1 })).toThrow(/invalid seed: -1/);
  });
});
