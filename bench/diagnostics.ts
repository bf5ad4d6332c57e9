// Cluster-influence benchmark (issue 5): exact deletion of every patient of a radiomics-sized model,
// warm-started refits vs cold ones. Run: node --conditions=source --import tsx bench/diagnostics.ts [--workers N]
// (imports the package sources directly; not run by CI).
import { lmm, type LinearMixedModel } from "@lmm/core";
import { radiomics } from "@lmm/datasets";
import { clusterInfluence, createDeletionPool, type ClusterInfluence } from "@lmm/diagnostics";

const feature = "f_firstorder_Mean";
const formula = `${feature} ~ grade + time + (1|site) + (1 + time|site:patient)`;

async function timed(model: LinearMixedModel, label: string, options: Parameters<typeof clusterInfluence>[1]): Promise<{ seconds: number; result: ClusterInfluence }> {
  const t = performance.now();
  const result = await clusterInfluence(model, options);
  const seconds = (performance.now() - t) / 1000;
  const methods = new Map<string, number>();
  for (const l of result.levels) methods.set(l.method, (methods.get(l.method) ?? 0) + 1);
  console.log(`${label.padEnd(28)} ${seconds.toFixed(2).padStart(7)} s  ${String(result.evaluations).padStart(7)} evaluations  ${(result.evaluations / result.n).toFixed(1).padStart(6)} per refit  ${[...methods].map(([m, n]) => `${m} ${n}`).join(", ")}`);
  return { seconds, result };
}

/** Times cluster influence over every patient, warm (quasi-Newton and lme4-style BOBYQA) and cold. */
export async function benchDiagnostics(options: { workers?: number } = {}): Promise<void> {
  const workers = options.workers ?? 0;
  const d = radiomics();
  const model = lmm(formula, d.columns, { levels: d.levels });
  console.log(`\n# cluster influence: ${formula}`);
  console.log(`${model.nobs} rows, ${model.ngroups().map((g) => `${g.levels} ${g.group}`).join(", ")}; deleting each site:patient in turn; ${workers} worker(s)`);
  const pool = workers > 0 ? createDeletionPool({ size: workers }) : undefined;
  try {
    const base = { data: d.columns, group: "site:patient", pool, workers };
    // Warm-up: JIT and worker start-up; the warm path is run once in full, as the cold one is by
    // the time it is timed (it runs last, after both warm runs).
    await clusterInfluence(model, { ...base, group: "site" });
    await clusterInfluence(model, base);
    const warm = await timed(model, "warm (quasi-Newton)", base);
    const warmBobyqa = await timed(model, "warm (BOBYQA, as lme4)", { ...base, optimizer: "bobyqa" });
    const cold = await timed(model, "cold (lme4's default start)", { ...base, start: "cold" });
    console.log(`speed-up warm vs cold: ${(cold.seconds / warm.seconds).toFixed(1)}× (target ≥ 5×); warm BOBYQA vs cold: ${(cold.seconds / warmBobyqa.seconds).toFixed(1)}×`);
    // Cold refits can stop at a worse local optimum (e.g. a slope variance at its bound) than the warm
    // refit reaches from the full fit's θ: count those, and compare the rest.
    let dCook = 0, dTheta = 0, dObjective = -Infinity, worseCold = 0;
    const maxCook = Math.max(...warm.result.levels.map((l) => l.cooksD));
    warm.result.levels.forEach((l, i) => {
      const c = cold.result.levels[i];
      dObjective = Math.max(dObjective, l.objective - c.objective);
      if (c.objective > l.objective + 1e-3) {
        worseCold++;
        return;
      }
      dCook = Math.max(dCook, Math.abs(l.cooksD - c.cooksD) / maxCook);
      l.theta.forEach((t, j) => (dTheta = Math.max(dTheta, Math.abs(t - c.theta[j]))));
    });
    console.log(`warm criterion never above cold by more than ${dObjective.toExponential(2)}; cold stopped at a worse optimum (criterion > 1e-3 higher) in ${worseCold} of ${warm.result.n} refits`);
    console.log(`elsewhere warm vs cold: max |ΔCook's D| / max Cook's D ${dCook.toExponential(2)}, max |Δθ| ${dTheta.toExponential(2)}`);
    console.log(`flagged (Cook's D > 4/n or |DFBETAS| > 2/√n): ${warm.result.flagged.length} of ${warm.result.n}`);
  } finally {
    await pool?.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--workers");
  await benchDiagnostics({ workers: at >= 0 ? Number(args[at + 1]) : 0 });
}
