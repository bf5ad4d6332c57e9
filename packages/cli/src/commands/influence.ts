import { InvalidArgumentError } from "@lmm/core";
import { clusterInfluence, type ClusterInfluence } from "@lmm/diagnostics";
import { parseFlags, type Command, type Flags } from "../command.js";
import { finiteOrNull, fitFromArgs, MODEL_OPTIONS, parseWorkers, record, WORKERS_FLAG } from "../io/modelArgs.js";
import { reportTo } from "../progress/reportTo.js";

const usage = `lmm influence --data F.csv --formula "y ~ x + (1 | site)" --groups site
              [--columns F.columns.json] [--ml] [--cold] [--workers N] [--json]
              [--weights COLUMN] [--offset COLUMN] [--contrasts site=sum,grade=poly]

Influence of each cluster by exact deletion (lme4's influence(model, groups = site)): every level of the
grouping column is left out in turn and the model refitted; prints Cook's distance, DFBETAS and the change
of the residual sd per level, and flags levels beyond the usual cut-offs.`;

const flags = {
  ...MODEL_OPTIONS,
  groups: { type: "string", value: "COLUMN", help: "grouping factor or column whose levels are deleted in turn, e.g. site" },
  cold: { type: "boolean", default: false, help: "start each refit where lme4 starts (default: from the full fit's estimates)" },
  workers: WORKERS_FLAG,
} as const satisfies Flags;

/** `lmm influence`: cluster-level case deletion (lme4's influence(model, groups = g)). */
export const influenceCommand: Command = {
  name: "influence",
  usage,
  flags,
  async run(argv, io) {
    const values = parseFlags(argv, flags);
    if (!values.groups) throw new InvalidArgumentError("--groups", undefined, "the grouping factor or column whose levels are deleted in turn, e.g. site");
    const workers = parseWorkers(values.workers);
    const { model, data, levels } = fitFromArgs(values, "y ~ x + (1 | site)");
    const result = await clusterInfluence(model, { data, group: values.groups, levels, workers, start: values.cold ? "cold" : "warm", onProgress: reportTo(io, "refits without one level") });
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
    warnings: r.warnings,
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
  // Without a defined Cook's distance its column is left out rather than filled with NA.
  const cooks = (cells: string[]) => (r.cooksDefined ? cells : []);
  const head = ["level", "nObs", ...cooks(["cooksd"]), ...r.fixefNames.map((n) => `dfbetas ${n}`), "dsigma", ""];
  const rows = r.levels.map((l) => [l.level, String(l.nObs), ...cooks([fmt(l.cooksD)]), ...Array.from(l.dfbetas, fmt), fmt(l.sigmaChange), l.error ? `error: ${l.error.message}` : l.flagged ? "*" : ""]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ").trimEnd();
  return [
    `Influence of each ${r.group} (${r.n} deleted in turn, ${r.start} refits); cut-offs: ${r.cooksDefined ? `Cook's D > 4/n = ${fmt(r.cutoffs.cooksD)}, ` : ""}|DFBETAS| > 2/sqrt(n) = ${fmt(r.cutoffs.dfbetas)}`,
    ...r.warnings.map((w) => `Note: ${w}`),
    line(head),
    ...rows.map(line),
    `flagged (*): ${r.flagged.length > 0 ? r.flagged.join(", ") : "none"}`,
    "",
  ].join("\n");
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(4) : "NA";
}
