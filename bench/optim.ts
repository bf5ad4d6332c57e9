/**
 * Benchmark of the BOBYQA optimiser (packages/core/src/optim), not run by CI.
 *
 *   node --conditions=source --import tsx bench/optim.ts            evaluation counts and overhead
 *   node --conditions=source --import tsx bench/optim.ts --nlopt 300  cross-check against NLopt
 *
 * The second form needs a Python with NLopt's bindings (Debian: `apt-get install python3-nlopt`,
 * used through /usr/bin/python3; set PYTHON to use another interpreter).
 * It runs NLopt's BOBYQA and ours on the same random bound-constrained problems (objectives
 * written with +, −, × only, so both languages compute bit-identical values; power-of-two radii,
 * equal initial steps so that NLopt does not rescale) and reports how many evaluation
 * sequences are bit-identical. A faithful port gives identical sequences.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { bobyqa as run } from "../packages/core/src/optim/index.js";
import { Rng } from "../packages/core/src/numerics/Rng.js";

interface Problem {
  n: number;
  rhobeg: number;
  rhoend: number;
  c: number[];
  a: number[];
  b: number[][];
  q: number;
  r: number;
  lo: number[];
  hi: number[];
  x0: number[];
}

function makeProblem(rng: Rng): Problem {
  const n = [1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 12][rng.int(11)];
  const e = 1 + rng.int(4);
  const rhobeg = 2 ** -e;
  const rhoend = 2 ** -(e + 6 + rng.int(40));
  const c = Array.from({ length: n }, () => rng.uniform() * 4 - 2);
  const a = Array.from({ length: n }, () => 10 ** (rng.uniform() * 8 - 4)); // ill-conditioned at times, so RESCUE runs too
  const b = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j > i ? (rng.uniform() - 0.5) * Math.sqrt(a[i] * a[j]) : 0)));
  const q = rng.uniform() < 0.5 ? 0 : rng.uniform() * 2;
  const r = rng.uniform() < 0.6 ? 0 : rng.uniform() * 20;
  const lo: number[] = [];
  const hi: number[] = [];
  const x0: number[] = [];
  for (let i = 0; i < n; i++) {
    const kind = rng.int(5);
    let l = -Infinity;
    let u = Infinity;
    if (kind === 1) l = Math.round(rng.uniform() * 20 - 10) / 10;
    else if (kind === 2) u = Math.round(rng.uniform() * 20 - 10) / 10;
    else if (kind === 3) {
      l = -Math.round(rng.uniform() * 20) / 10;
      u = l + 2 * rhobeg + Math.round(rng.uniform() * 30) / 10;
    } else if (kind === 4) l = 0;
    const m = rng.uniform();
    const lf = Number.isFinite(l) ? l : -3;
    const uf = Number.isFinite(u) ? u : 3;
    x0.push(m < 0.25 && Number.isFinite(l) ? l : m < 0.4 && Number.isFinite(u) ? u : Math.round((lf + rng.uniform() * (uf - lf)) * 1000) / 1000);
    lo.push(l);
    hi.push(u);
  }
  return { n, rhobeg, rhoend, c, a, b, q, r, lo, hi, x0 };
}

/** The objective; the Python twin below evaluates the same operations in the same order. */
function objective(p: Problem): (x: Float64Array) => number {
  return (x) => {
    let s = 0;
    for (let i = 0; i < p.n; i++) {
      const ti = x[i] - p.c[i];
      s = s + p.a[i] * (ti * ti);
      for (let j = i + 1; j < p.n; j++) s = s + p.b[i][j] * (ti * (x[j] - p.c[j]));
      s = s + p.q * (ti * ti * ti * ti);
    }
    for (let i = 0; i + 1 < p.n; i++) {
      const u = x[i + 1] - x[i] * x[i];
      s = s + p.r * (u * u);
    }
    return s;
  };
}

const PYTHON = String.raw`
import json, sys, math, nlopt
probs = json.loads(sys.stdin.read())
def num(v): return math.inf if v == "inf" else -math.inf if v == "-inf" else v
out = []
for p in probs:
    n = p["n"]; lo = [num(v) for v in p["lo"]]; hi = [num(v) for v in p["hi"]]
    def f(x, grad):
        s = 0.0
        for i in range(n):
            ti = x[i] - p["c"][i]
            s = s + p["a"][i] * (ti * ti)
            for j in range(i + 1, n): s = s + p["b"][i][j] * (ti * (x[j] - p["c"][j]))
            s = s + p["q"] * (ti * ti * ti * ti)
        for i in range(n - 1):
            u = x[i + 1] - x[i] * x[i]
            s = s + p["r"] * (u * u)
        log.append(float(s))
        return s
    log = []
    o = nlopt.opt(nlopt.LN_BOBYQA, n)
    o.set_min_objective(f); o.set_lower_bounds(lo); o.set_upper_bounds(hi)
    o.set_initial_step([p["rhobeg"]] * n); o.set_xtol_rel(p["rhoend"] / p["rhobeg"]); o.set_maxeval(20000)
    try: o.optimize(p["x0"])
    except Exception as e: pass
    out.append(log)
print(json.dumps(out))
`;

function crossCheck(count: number): void {
  const rng = new Rng(20090106);
  const problems = Array.from({ length: count }, () => makeProblem(rng));
  const payload = JSON.stringify(problems, (_k, v) => (v === Infinity ? "inf" : v === -Infinity ? "-inf" : v));
  // Debian's python3-nlopt lives with the system interpreter; PYTHON overrides.
  const python = process.env.PYTHON ?? (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
  let out: string;
  try {
    out = execFileSync(python, ["-c", PYTHON], { input: payload, maxBuffer: 1 << 30, stdio: ["pipe", "pipe", "pipe"] }).toString();
  } catch (e) {
    console.error(`NLopt cross-check needs ${python} with the nlopt module (apt-get install python3-nlopt):\n${(e as { stderr?: Buffer }).stderr ?? e}`);
    process.exitCode = 1;
    return;
  }
  const logs = JSON.parse(out) as number[][];
  let identical = 0;
  let evals = 0;
  problems.forEach((p, k) => {
    const ours: number[] = [];
    run(objective(p), p.x0, { lower: p.lo, upper: p.hi, rhoBeg: p.rhobeg, rhoEnd: p.rhoend, maxEval: 20000, onEvaluation: (_x, f) => ours.push(f) });
    evals += ours.length;
    const same = ours.length === logs[k].length && ours.every((v, i) => v === logs[k][i]);
    if (same) identical++;
    else console.log(`problem ${k} (n = ${p.n}): ours ${ours.length} evaluations, NLopt ${logs[k].length}`);
  });
  console.log(`${identical} of ${count} problems gave bit-identical evaluation sequences (${evals} evaluations)`);
}

function table(): void {
  const rosenbrock = (x: Float64Array) => {
    let s = 0;
    for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
    return s;
  };
  const rows: [string, (x: Float64Array) => number, number[], number[] | undefined][] = [
    ["rosenbrock", rosenbrock, [-1.2, 1], undefined],
    ["rosenbrock", rosenbrock, new Array(10).fill(0.5), undefined],
  ];
  for (const n of [1, 2, 3, 5, 10, 20]) {
    const f = (x: Float64Array) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += (i + 1) * (x[i] - 0.5) ** 2 + (i ? 0.3 * x[i] * x[i - 1] : 0);
      return s;
    };
    rows.push([`quadratic, x ≥ 0`, f, new Array(n).fill(1), new Array(n).fill(0)]);
  }
  console.log("problem                n  evaluations  reason    ms/run  µs/evaluation (optimiser overhead)");
  for (const [name, f, x0, lower] of rows) {
    const reps = 20;
    let r = run(f, x0, { lower });
    const t0 = performance.now();
    for (let k = 0; k < reps; k++) r = run(f, x0, { lower });
    const ms = (performance.now() - t0) / reps;
    console.log(`${name.padEnd(20)} ${String(x0.length).padStart(3)}  ${String(r.evaluations).padStart(11)}  ${r.reason.padEnd(8)} ${ms.toFixed(2).padStart(7)}  ${((1000 * ms) / r.evaluations).toFixed(1).padStart(8)}`);
  }
}

const i = process.argv.indexOf("--nlopt");
if (i >= 0) crossCheck(Number(process.argv[i + 1] ?? 200));
else table();
