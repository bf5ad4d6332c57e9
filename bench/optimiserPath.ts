// Measurement for issue 21: how many factorisation-equivalents a bounded quasi-Newton (projected BFGS)
// needs to reach lme4's optimum, against BOBYQA's evaluations. The gradient here is by central
// differences (to count iterations); the cost printed assumes an exact gradient through the dense
// block's inverse (2 factorisation-equivalents on top of the value). Run:
//   node --conditions=source --import tsx bench/optimiserPath.ts [case id, default insteval__service_crossed__REML]
import { buildLmmDesign } from "../packages/core/src/engine/design.js";
import { Fitter } from "../packages/core/src/engine/Fitter.js";
import { startingTheta } from "../packages/core/src/engine/start.js";
import { loadCase, loadDataset } from "../test/support/reference.js";
const id = process.argv[2] ?? "insteval__service_crossed__REML";
const c = loadCase(id);
const ds = loadDataset(c.dataset.name);
const design = buildLmmDesign(c.model.formula, ds.data, { levels: ds.levels });
const fitter = new Fitter(design, design.frame.y!, c.model.REML);
const lower = design.theta.lower;
const n = lower.length;
let fevals = 0, gevals = 0;
const f = (x: Float64Array) => { fevals++; return fitter.evaluate(x); };
const grad = (x: Float64Array) => { gevals++; const g = new Float64Array(n); const t = Float64Array.from(x); for (let i = 0; i < n; i++) { const h = 1e-6 * Math.max(1, Math.abs(x[i])); t[i] = x[i] + h; const fp = fitter.evaluate(t); t[i] = Math.max(lower[i], x[i] - h); const hm = x[i] - t[i]; const fm = fitter.evaluate(t); t[i] = x[i]; g[i] = (fp - fm) / (h + hm); } return g; };
let x = startingTheta(fitter);
let fx = f(x); let g = grad(x);
// First step: a tenth of θ's scale along −g (as BOBYQA's first radius), then Shanno's scaling of H₀.
const gInf = Math.max(...Array.from(g, Math.abs)), xScale = Math.max(0.1, ...Array.from(x, Math.abs));
let H = new Float64Array(n * n); for (let i = 0; i < n; i++) H[i * n + i] = (0.25 * xScale) / gInf;
let first = true;
const ref = c.criterion.objective;
let it = 0;
const t0 = performance.now();
for (; it < 100; it++) {
  const free = Array.from({ length: n }, (_, i) => !(x[i] <= lower[i] && g[i] > 0));
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) if (free[i]) for (let j = 0; j < n; j++) if (free[j]) p[i] -= H[i * n + j] * g[j];
  let slope = 0; for (let i = 0; i < n; i++) slope += p[i] * g[i];
  if (slope >= 0) { H.fill(0); for (let i = 0; i < n; i++) { H[i * n + i] = 1; p[i] = free[i] ? -g[i] : 0; } slope = 0; for (let i = 0; i < n; i++) slope += p[i] * g[i]; }
  let alpha = 1, xn = new Float64Array(n), fn = Infinity;
  for (let k = 0; k < 30; k++) { for (let i = 0; i < n; i++) xn[i] = Math.max(lower[i], x[i] + alpha * p[i]); fn = f(xn); if (fn <= fx + 1e-4 * alpha * slope) break; alpha /= 2; }
  const gn = grad(xn);
  const s = xn.map((v, i) => v - x[i]), y = gn.map((v, i) => v - g[i]);
  const sy = s.reduce((a, v, i) => a + v * y[i], 0);
  const done = Math.abs(fx - fn) < 1e-10 * Math.abs(fn);
  x = xn; fx = fn; g = gn;
  if (sy > 1e-12 && first) { const yy = y.reduce((a, v) => a + v * v, 0); H.fill(0); for (let i = 0; i < n; i++) H[i * n + i] = sy / yy; first = false; }
  if (sy > 1e-12) { // BFGS update of the inverse Hessian
    const Hy = new Float64Array(n); for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Hy[i] += H[i * n + j] * y[j];
    const yHy = y.reduce((a, v, i) => a + v * Hy[i], 0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H[i * n + j] += ((sy + yHy) * s[i] * s[j]) / (sy * sy) - (Hy[i] * s[j] + s[i] * Hy[j]) / sy;
  }
  const pg = Math.max(...Array.from(g, (v, i) => (x[i] <= lower[i] && v > 0 ? 0 : Math.abs(v))));
  console.log(`it ${it + 1}: f ${fx} (rel to lme4 ${((fx - ref) / Math.abs(ref)).toExponential(2)}), |pg| ${pg.toExponential(2)}, fevals ${fevals}, grads ${gevals}`);
  if (done || pg < 1e-4) break;
}
console.log(`${id}: ${it + 1} iterations, ${fevals} criterion evaluations without gradient, ${gevals} gradients; factorisation-equivalents (each criterion value 1, each exact gradient 2 more: the dense block's inverse) ${fevals + 2 * gevals}; seconds ${((performance.now() - t0) / 1000).toFixed(1)}`);
