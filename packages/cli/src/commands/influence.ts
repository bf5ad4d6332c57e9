import { parseArgs } from "node:util";
import { InvalidArgumentError, lmm } from "@lmm/core";
import { clusterInfluence, type ClusterInfluence } from "@lmm/diagnostics";
import type { Command } from "../command.js";
import { readData } from "../io/files.js";

const usage = 'lmm influence --data F.csv --formula "y ~ x + (1 | site)" --groups site [--columns F.columns.json] [--ml] [--cold] [--workers N] [--json]';

/** `lmm influence`: cluster-level case deletion (lme4's influence(model, groups = g)). */
export const influenceCommand: Command = {
  name: "influence",
  summary: "influence of each cluster by exact deletion: Cook's distance, DFBETAS, variance components",
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        data: { type: "string" },
        formula: { type: "string" },
        groups: { type: "string" },
        columns: { type: "string" },
        ml: { type: "boolean", default: false },
        cold: { type: "boolean", default: false },
        workers: { type: "string" },
        json: { type: "boolean", default: false },
      },
      strict: true,
    });
    if (!values.data) throw new InvalidArgumentError("--data", undefined, "a CSV file");
    if (!values.formula) throw new InvalidArgumentError("--formula", undefined, 'a formula such as "y ~ x + (1 | site)"');
    if (!values.groups) throw new InvalidArgumentError("--groups", undefined, "the grouping factor or column whose levels are deleted in turn, e.g. site");
    const workers = parseWorkers(values.workers);
    const { data, levels } = readData(values.data, values.columns);
    const model = lmm(values.formula, data, { levels, reml: !values.ml });
    const result = await clusterInfluence(model, { data, group: values.groups, levels, workers, start: values.cold ? "cold" : "warm" });
    io.stdout(values.json ? JSON.stringify(influenceJson(model.formula, result), finiteOrNull, 2) + "\n" : influenceText(result));
    return 0;
  },
};

/** `--workers N`: a whole number ≥ 0 (default 0: refits in this thread). */
export function parseWorkers(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || text.trim() === "") throw new InvalidArgumentError("--workers", text, "a whole number ≥ 0");
  return n;
}

/** JSON has no NaN or Infinity: write them as null. */
export function finiteOrNull(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}

/** A name-keyed record without a prototype (a coefficient named `__proto__` stays data). */
export function record(names: string[], values: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  names.forEach((n, j) => (out[n] = values[j]));
  return out;
}

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
