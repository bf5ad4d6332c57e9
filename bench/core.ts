// Core fitter benchmark: warm fit time per reference model, lme4's time when R is present, ratios;
// refit of many responses on one design.
import { lmm } from "@lmm/core";
import { ResponseFits } from "@lmm/core/engine";
import { Rng, relaxedSimdAvailable, useFma } from "@lmm/core/numerics";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { choleskyInPlaceFast as choleskyInPlace } from "../packages/core/src/engine/linalg/cholesky.js";
import { inverseTransposeSimd } from "../packages/core/src/engine/linalg/triangularInverse.js";
import { simdKernels } from "../packages/core/src/engine/linalg/wasm/simdKernels.js";
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

/** Median seconds of one triangular inversion of the factor (the gradient's dense part), on the kernels in use. */
function inverseSeconds(a: Float64Array, n: number): number {
  const k = simdKernels();
  if (!k) return NaN;
  const l = a.slice();
  choleskyInPlace(l, n);
  return timeFit(() => {
    k.doubles(n * n).set(l);
    inverseTransposeSimd(k, n);
  }, 9);
}

/**
 * What the dense part of each evaluation alone costs at this machine's measured rate: the Schur
 * block of InstEval (1159 × 1159, 98 % dense once factored) takes n³/3 flops per evaluation, and
 * the exact gradient one triangular inversion more (n³/3 flops). BOBYQA takes `bobyqaEvals`
 * criterion values, quasi-Newton `qnEvals` values with gradients. Printed beside both fits and
 * lme4's, so the distance to the target ratio (≤ 0.35 × lmer()) can be read as arithmetic.
 */
function denseFloor(id: string, bobyqaEvals: number, qnEvals: number, bobyqa: number, ours: number, lme4: number): void {
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
  const inverse = inverseSeconds(a, n);
  const gflops = n ** 3 / 3 / seconds / 1e9;
  const floorB = bobyqaEvals * seconds, floorQ = qnEvals * (seconds + inverse);
  const kernel = Number.isFinite(fused) ? `relaxed-SIMD FMA; ${(plain * 1000).toFixed(1)} ms with plain f64x2` : "f64x2, no relaxed SIMD here";
  console.log(`  ${id}: one dense ${n}² factorisation ${(seconds * 1000).toFixed(1)} ms (${gflops.toFixed(1)} GFLOP/s, ${kernel}, one thread), its triangular inverse ${(inverse * 1000).toFixed(1)} ms`);
  console.log(`  ${id}: floor of BOBYQA = ${bobyqaEvals} factorisations = ${floorB.toFixed(2)} s; of quasi-Newton = ${qnEvals} × (factorisation + inverse) = ${floorQ.toFixed(2)} s`);
  if (Number.isFinite(lme4)) {
    console.log(`  ${id}: lme4's lmer() ${lme4.toFixed(2)} s; BOBYQA fit ${bobyqa.toFixed(2)} s (ratio ${(bobyqa / lme4).toFixed(3)}); our default fit (quasi-Newton) ${ours.toFixed(2)} s, ratio ${(ours / lme4).toFixed(3)} (target ≤ 0.35), fit / floor ${(ours / floorQ).toFixed(2)}`);
  } else console.log(`  ${id}: BOBYQA fit ${bobyqa.toFixed(2)} s, our default fit ${ours.toFixed(2)} s (no lme4 here for the ratio); fit / floor ${(ours / floorQ).toFixed(2)}`);
}

/** Median wall seconds of the whole `lmm fit` process on a reference case's CSV (reading, fitting, printing). */
function cliSeconds(csv: string, columns: string, formula: string, reml: boolean): number {
  const bin = fileURLToPath(new URL("../packages/cli/dist/bin.js", import.meta.url));
  execFileSync("pnpm", ["exec", "tsc", "-b", "packages/cli"], { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: "ignore" });
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    execFileSync(process.execPath, [bin, "fit", "--data", csv, "--columns", columns, "--formula", formula, ...(reml ? [] : ["--ml"])], { stdio: "ignore" });
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
      evals = lmm(c.model.formula, ds.data, { levels: ds.levels, reml: c.model.REML }).optimisation.evaluations;
    }, big ? 1 : 51);
    const theirs = R ? lme4FitSeconds(ds.csvPath, ds.columnsPath, c.model.formula, c.model.REML, big ? 1 : 7) : NaN;
    console.log(id.padEnd(42), (ours < 0.01 ? ours.toPrecision(3) : ours.toFixed(4)).padStart(10), (R ? theirs.toFixed(4) : "-").padStart(10), (R ? (ours / theirs).toFixed(3) : "-").padStart(8), String(evals).padStart(6));
    if (big) {
      let bobyqaEvals = 0;
      const bobyqa = timeFit(() => {
        bobyqaEvals = lmm(c.model.formula, ds.data, { levels: ds.levels, reml: c.model.REML, optimizer: "bobyqa" }).optimisation.evaluations;
      }, 1);
      console.log(`${id} (bobyqa)`.padEnd(42), bobyqa.toFixed(4).padStart(10), (R ? theirs.toFixed(4) : "-").padStart(10), (R ? (bobyqa / theirs).toFixed(3) : "-").padStart(8), String(bobyqaEvals).padStart(6));
      denseFloor(id, bobyqaEvals, evals, bobyqa, ours, theirs);
      const cli = cliSeconds(ds.csvPath, ds.columnsPath, c.model.formula, c.model.REML);
      console.log(`  ${id}: whole \`lmm fit\` process (reading the CSV, fitting, printing) ${cli.toFixed(2)} s${R ? `, ratio to lmer() ${(cli / theirs).toFixed(3)} (target ≤ 0.5)` : ""}`);
    }
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
