// Core fitter benchmark: warm fit time per reference model, lme4's time when R is present, ratios;
// refit of many responses on one design.
import { Fitter, fitResponse, lmm } from "@lmm/core";
import { hasLme4, lme4FitSeconds, lme4RefitSeconds } from "./lme4.js";
import { loadDataset, loadCase, caseIds } from "./reference.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median seconds of `reps` runs after a warm-up long enough for the JIT to settle (small fits take a fraction of a millisecond). */
function timeFit(fn: () => void, reps: number): number {
  const warm = performance.now();
  let runs = 0;
  do {
    fn();
    runs++;
  } while (reps > 1 && runs < 200 && performance.now() - warm < 300);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    times.push((performance.now() - t) / 1000);
  }
  return median(times);
}

export function benchCore(options: { only?: string; withR: boolean }): void {
  const R = options.withR && hasLme4();
  console.log(`\n# core fitter (${R ? "with" : "without"} lme4 on this machine)`);
  console.log("case".padEnd(42), "ours (s)".padStart(10), "lme4 (s)".padStart(10), "ratio".padStart(8), " evals");
  for (const id of caseIds()) {
    if (options.only && !id.includes(options.only)) continue;
    const c = loadCase(id);
    const ds = loadDataset(c.dataset.name);
    const big = c.dataset.n_rows > 10_000;
    let evals = 0;
    const ours = timeFit(() => {
      evals = lmm(c.model.formula, ds.data, { levels: ds.levels, reml: c.model.REML }).optimization.evaluations;
    }, big ? 1 : 51);
    const theirs = R ? lme4FitSeconds(ds.csvPath, ds.columnsPath, c.model.formula, c.model.REML, big ? 1 : 7) : NaN;
    console.log(id.padEnd(42), (ours < 0.01 ? ours.toPrecision(3) : ours.toFixed(4)).padStart(10), (R ? theirs.toFixed(4) : "-").padStart(10), (R ? (ours / theirs).toFixed(3) : "-").padStart(8), String(evals).padStart(6));
  }
  if (!options.only || "refit".includes(options.only)) {
    const ds = loadDataset("Penicillin");
    const formula = "diameter ~ 1 + (1 | plate) + (1 | sample)";
    const m = lmm(formula, ds.data, { levels: ds.levels });
    const ys = m.simulate(1000, { seed: 1 });
    const t = performance.now();
    for (const y of ys) m.refit(y, { checkConvergence: false });
    const ours = (performance.now() - t) / 1000;
    const theirs = R ? lme4RefitSeconds(ds.csvPath, ds.columnsPath, formula, 1000) : NaN;
    console.log(`refit × 1000 (Penicillin)`.padEnd(42), ours.toFixed(3).padStart(10), (R ? theirs.toFixed(3) : "-").padStart(10), (R ? (ours / theirs).toFixed(3) : "-").padStart(8));
    // The many-responses path: one Fitter, only the response changes (what fitEach uses).
    const fitter = new Fitter(m.design, m.response, true);
    const t2 = performance.now();
    for (const y of ys) fitResponse(fitter, y, { start: m.theta });
    const light = (performance.now() - t2) / 1000;
    console.log(`fitResponse × 1000 (Penicillin, one Fitter)`.padEnd(42), light.toFixed(3).padStart(10), (R ? theirs.toFixed(3) : "-").padStart(10), (R ? (light / theirs).toFixed(3) : "-").padStart(8));
  }
}
