import { parseArgs } from "node:util";
import { InvalidArgumentError } from "@lmm/core";
import { clusterInfluence, type ClusterInfluence } from "@lmm/diagnostics";
import type { Command } from "../command.js";
import { finiteOrNull, fitFromArgs, MODEL_OPTIONS, MODEL_USAGE, parseWorkers, record } from "../io/modelArgs.js";

const usage = 'lmm influence --data F.csv --formula "y ~ x + (1 | site)" --groups site [--columns F.columns.json] [--ml] [--cold] [--workers N] [--json]\n        ' + MODEL_USAGE;

/** `lmm influence`: cluster-level case deletion (lme4's influence(model, groups = g)). */
export const influenceCommand: Command = {
  name: "influence",
  summary: "influence of each cluster by exact deletion: Cook's distance, DFBETAS, variance components",
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { ...MODEL_OPTIONS, groups: { type: "string" }, cold: { type: "boolean", default: false }, workers: { type: "string" } },
      strict: true,
    });
    if (!values.groups) throw new InvalidArgumentError("--groups", undefined, "the grouping factor or column whose levels are deleted in turn, e.g. site");
    const workers = parseWorkers(values.workers);
    const { model, data, levels } = fitFromArgs(values, "y ~ x + (1 | site)");
    const result = await clusterInfluence(model, { data, group: values.groups, levels, workers, start: values.cold ? "cold" : "warm" });
    io.stdout(values.json ? JSON.stringify(influenceJson(model.formula, result), finiteOrNull, 2) + "\n" : influenceText(result));
    return 0;
  },
};

function influenceJson(formula: string, r: ClusterInfluence) {
  return {
    formula,
    group: r.group,
    n: r.n,
    p: r.p,
    start: r.start,
    cutoffs: { cooksd: r.cutoffs.cooksD, dfbetas: r.cutoffs.dfbetas },
    fixef: r.fixefNames,
    varcomp: r.varcompNames,
    flagged: r.flagged,
    levels: r.levels.map((l) => ({
      level: l.level,
      nObs: l.nObs,
      cooksd: l.cooksD,
      dfbetas: record(r.fixefNames, l.dfbetas),
      varcompChange: record(r.varcompNames, l.varcompChange),
      sigmaChange: l.sigmaChange,
      flagged: l.flagged,
      flags: l.flags,
      converged: l.converged,
      error: l.error?.message ?? null,
    })),
  };
}

function influenceText(r: ClusterInfluence): string {
  const head = ["level", "nObs", "cooksd", ...r.fixefNames.map((n) => `dfbetas ${n}`), "dsigma", ""];
  const rows = r.levels.map((l) => [l.level, String(l.nObs), fmt(l.cooksD), ...Array.from(l.dfbetas, fmt), fmt(l.sigmaChange), l.error ? `error: ${l.error.message}` : l.flagged ? "*" : ""]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ").trimEnd();
  return [
    `Influence of each ${r.group} (${r.n} deleted in turn, ${r.start} refits); cut-offs: Cook's D > 4/n = ${fmt(r.cutoffs.cooksD)}, |DFBETAS| > 2/sqrt(n) = ${fmt(r.cutoffs.dfbetas)}`,
    line(head),
    ...rows.map(line),
    `flagged (*): ${r.flagged.length > 0 ? r.flagged.join(", ") : "none"}`,
    "",
  ].join("\n");
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(4) : "NA";
}
