// Core fitter benchmark: warm fit time per reference model, lme4's time when R is present, ratios;
// refit of many responses on one design.
import { lmm } from "@lmm/core";
import { ResponseFits } from "@lmm/core/engine";
import { Rng, relaxedSimdAvailable, useFma } from "@lmm/core/numerics";
import { choleskyInPlaceFast as choleskyInPlace } from "../packages/core/src/engine/linalg/cholesky.js";
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

/** Median seconds of one dense n × n factorisation of a matrix like InstEval's Schur block, on the kernels `useFma` selects. */
function factorSeconds(a: Float64Array, n: number, fma: boolean): number {
  const was = useFma(fma);
  try {
    const l = a.slice();
    return timeFit(() => {
      l.set(a);
      choleskyInPlace(l, n);
    }, 9);
  } finally {
    useFma(was);
  }
}

/**
 * What the dense part of each evaluation alone costs at this machine's measured rate: the Schur
 * block of InstEval (1159 × 1159, 98 % dense once factored) takes n³/3 flops per evaluation, and
 * lme4's optimiser path takes `evals` evaluations. Printed beside our fit and lme4's, so the
 * distance to the target ratio (≤ 0.35 × lmer()) can be read as arithmetic.
 */
function denseFloor(id: string, evals: number, ours: number, lme4: number): void {
  const n = 1159;
  const rng = new Rng(1);
  const b = Float64Array.from({ length: n * 40 }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = 0;
    for (let t = 0; t < 40; t++) s += b[i * 40 + t] * b[j * 40 + t];
    a[i * n + j] = s + (i === j ? 1 : 0);
  }
  const fused = relaxedSimdAvailable() ? factorSeconds(a, n, true) : NaN;
  const plain = factorSeconds(a, n, false);
  const seconds = Number.isFinite(fused) ? fused : plain;
  const gflops = n ** 3 / 3 / seconds / 1e9;
  const floor = evals * seconds;
  const kernel = Number.isFinite(fused) ? `relaxed-SIMD FMA; ${(plain * 1000).toFixed(1)} ms with plain f64x2` : "f64x2, no relaxed SIMD here";
  console.log(`  ${id}: floor = one dense ${n}² factorisation ${(seconds * 1000).toFixed(1)} ms (${gflops.toFixed(1)} GFLOP/s, ${kernel}, one thread) × ${evals} evaluations = ${floor.toFixed(2)} s`);
  if (Number.isFinite(lme4)) console.log(`  ${id}: our fit ${ours.toFixed(2)} s, lme4's lmer() ${lme4.toFixed(2)} s, ratio ${(ours / lme4).toFixed(3)} (target ≤ 0.35); floor / lme4 = ${(floor / lme4).toFixed(3)}, fit / floor = ${(ours / floor).toFixed(2)}`);
  else console.log(`  ${id}: our fit ${ours.toFixed(2)} s (no lme4 here for the ratio); fit / floor = ${(ours / floor).toFixed(2)}`);
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
      evals = lmm(c.model.formula, ds.data, { levels: ds.levels, reml: c.model.REML }).optimisation.evaluations;
    }, big ? 1 : 51);
    const theirs = R ? lme4FitSeconds(ds.csvPath, ds.columnsPath, c.model.formula, c.model.REML, big ? 1 : 7) : NaN;
    console.log(id.padEnd(42), (ours < 0.01 ? ours.toPrecision(3) : ours.toFixed(4)).padStart(10), (R ? theirs.toFixed(4) : "-").padStart(10), (R ? (ours / theirs).toFixed(3) : "-").padStart(8), String(evals).padStart(6));
    if (big) denseFloor(id, evals, ours, R ? theirs : NaN);
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
    // The many-responses path: one workspace, only the response changes (what fitEach uses).
    const fits = ResponseFits.of(m);
    const t2 = performance.now();
    for (const y of ys) fits.fit(y, { start: m.theta });
    const light = (performance.now() - t2) / 1000;
    console.log(`fit × 1000 (Penicillin, one workspace)`.padEnd(42), light.toFixed(3).padStart(10), (R ? theirs.toFixed(3) : "-").padStart(10), (R ? (light / theirs).toFixed(3) : "-").padStart(8));
  }
}
