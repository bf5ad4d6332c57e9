// Inference benchmark: Satterthwaite on InstEval (vs lmerTest), profile intervals on sleepstudy
// (Days | Subject) (vs lme4's profile + confint), 1,000 parametric-bootstrap refits on sleepstudy
// with 2 workers (vs lme4's bootMer). R's times are measured live when Rscript with lmerTest is
// installed, else read from the reference cases (same machine class, see their `timing`).
import { spawnSync } from "node:child_process";
import { anovaTypeIII, bootstrap, coefficients, confint, lmm } from "@lmm/core";
import { runR } from "./lme4.js";
import { loadCase, loadDataset } from "./reference.js";

function hasLmerTest(): boolean {
  const r = spawnSync("Rscript", ["-e", "suppressMessages({library(lmerTest); library(jsonlite)}); cat('ok')"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.includes("ok");
}

const readData = (csv: string, columns: string) => `
suppressMessages({library(lmerTest); library(jsonlite)})
cols <- fromJSON(${JSON.stringify(columns)})$columns
d <- read.csv(${JSON.stringify(csv)}, colClasses = ifelse(cols$type %in% c("factor","string"), "character", "numeric"))
for (i in seq_len(nrow(cols))) if (cols$type[i] == "factor") d[[cols$name[i]]] <- factor(d[[cols$name[i]]], levels = cols$levels[[i]])`;

function seconds(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

function line(what: string, ours: number, theirs: number, note: string): void {
  const r = Number.isFinite(theirs);
  console.log(what.padEnd(44), ours.toFixed(3).padStart(9), (r ? theirs.toFixed(3) : "-").padStart(9), (r ? (ours / theirs).toFixed(3) : "-").padStart(7), `  ${note}`);
}

export async function benchInference(options: { only?: string; withR: boolean }): Promise<void> {
  const R = options.withR && hasLmerTest();
  const want = (name: string) => !options.only || name.includes(options.only) || "inference".includes(options.only);
  console.log(`\n# inference (${R ? "R measured live" : "R times from the reference cases"})`);
  console.log("task".padEnd(44), "ours (s)".padStart(9), "R (s)".padStart(9), "ratio".padStart(7));

  if (want("satterthwaite")) {
    const c = loadCase("insteval__service_crossed__REML");
    const ds = loadDataset(c.dataset.name);
    const model = lmm(c.model.formula, ds.data, { levels: ds.levels });
    const ours = seconds(() => {
      coefficients(model, { ddf: "satterthwaite" });
      anovaTypeIII(model, { ddf: "satterthwaite" });
    });
    const theirs = R
      ? runR<{ seconds: number }>(`${readData(ds.csvPath, ds.columnsPath)}
m <- lme4::lmer(${c.model.formula}, d)
t <- system.time({ mt <- as_lmerModLmerTest(m); coef(summary(mt)); anova(mt) })[["elapsed"]]
cat(toJSON(list(seconds = t), auto_unbox = TRUE), "\\n")`).seconds
      : c.timing.satterthwaite_seconds;
    line("Satterthwaite, all fixed effects, InstEval", ours, theirs, `${R ? "lmerTest live" : "lmerTest reference"}; target ratio ≤ 0.1`);
  }

  const c = loadCase("sleepstudy__slope_corr__REML");
  const ds = loadDataset(c.dataset.name);
  const model = lmm(c.model.formula, ds.data, { levels: ds.levels });
  if (want("profile")) {
    confint(model, { method: "profile" }); // warm-up (JIT)
    const ours = seconds(() => confint(model, { method: "profile" }));
    const theirs = R
      ? runR<{ seconds: number }>(`${readData(ds.csvPath, ds.columnsPath)}
m <- lme4::lmer(${c.model.formula}, d)
t <- system.time(confint(profile(m, signames = FALSE)))[["elapsed"]]
cat(toJSON(list(seconds = t), auto_unbox = TRUE), "\\n")`).seconds
      : c.timing.profile_seconds;
    line("profile CIs, sleepstudy (Days | Subject)", ours, theirs, `${R ? "lme4 live" : "lme4 reference"}; target ratio ≤ 0.1`);
  }

  if (want("bootstrap")) {
    const t = performance.now();
    const boot = await bootstrap(model, 1000, { seed: 1, workers: 2 });
    const ours = (performance.now() - t) / 1000;
    const theirs = R
      ? runR<{ seconds: number }>(`${readData(ds.csvPath, ds.columnsPath)}
m <- lme4::lmer(${c.model.formula}, d)
f <- function(x) c(getME(x, "theta"), sigma(x), fixef(x))
t <- system.time(bootMer(m, f, nsim = 1000, seed = 1, parallel = "multicore", ncpus = 2))[["elapsed"]]
cat(toJSON(list(seconds = t), auto_unbox = TRUE), "\\n")`).seconds
      : NaN;
    line("1,000 bootstrap refits, sleepstudy, 2 workers", ours, theirs, `${R ? "lme4 bootMer, 2 cores, live; " : ""}target ≤ 2 s`);
    if (boot.failures > 0) console.log(`  (${boot.failures} refits failed)`);
  }
}
