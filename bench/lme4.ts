// Runs R + lme4 beside our timings when Rscript is on the machine (never needed by tests or CI).
import { spawnSync } from "node:child_process";

/** True when `Rscript` with lme4 is available. */
export function hasLme4(): boolean {
  const r = spawnSync("Rscript", ["-e", "suppressMessages(library(lme4)); cat('ok')"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.includes("ok");
}

/** Runs an R snippet that prints one JSON line at the end and returns the parsed object. */
export function runR<T>(code: string): T {
  const r = spawnSync("Rscript", ["-e", code], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`Rscript failed: ${r.stderr}`);
  const line = r.stdout.trim().split("\n").pop()!;
  return JSON.parse(line) as T;
}

/** Median elapsed seconds of `reps` lmer fits of one model in R. */
export function lme4FitSeconds(csv: string, columnsJson: string, formula: string, reml: boolean, reps: number): number {
  const code = `
suppressMessages({library(lme4); library(jsonlite)})
cols <- fromJSON(${JSON.stringify(columnsJson)})$columns
d <- read.csv(${JSON.stringify(csv)}, colClasses = ifelse(cols$type %in% c("factor","string"), "character", "numeric"))
for (i in seq_len(nrow(cols))) if (cols$type[i] == "factor") d[[cols$name[i]]] <- factor(d[[cols$name[i]]], levels = cols$levels[[i]])
f <- as.formula(${JSON.stringify(formula)})
t <- replicate(${reps}, system.time(lmer(f, d, REML = ${reml ? "TRUE" : "FALSE"}))[["elapsed"]])
cat(toJSON(list(seconds = median(t)), auto_unbox = TRUE), "\\n")`;
  return runR<{ seconds: number }>(code).seconds;
}

/** Seconds of lme4's refit loop over `n` simulated responses on one model. */
export function lme4RefitSeconds(csv: string, columnsJson: string, formula: string, n: number): number {
  const code = `
suppressMessages({library(lme4); library(jsonlite)})
cols <- fromJSON(${JSON.stringify(columnsJson)})$columns
d <- read.csv(${JSON.stringify(csv)}, colClasses = ifelse(cols$type %in% c("factor","string"), "character", "numeric"))
for (i in seq_len(nrow(cols))) if (cols$type[i] == "factor") d[[cols$name[i]]] <- factor(d[[cols$name[i]]], levels = cols$levels[[i]])
m <- lmer(as.formula(${JSON.stringify(formula)}), d)
ys <- simulate(m, ${n}, seed = 1)
t <- system.time(for (i in seq_len(${n})) refit(m, ys[[i]]))[["elapsed"]]
cat(toJSON(list(seconds = t), auto_unbox = TRUE), "\\n")`;
  return runR<{ seconds: number }>(code).seconds;
}
