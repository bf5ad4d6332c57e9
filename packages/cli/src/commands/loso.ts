import { InvalidArgumentError, lmm } from "@lmm/core";
import { leaveOneLevelOut, type LeaveOneLevelOut, type PredictionMetrics } from "@lmm/diagnostics";
import { parseFlags, type Command, type Flags } from "../command.js";
import { finiteOrNull, fitFromArgs, MODEL_OPTIONS, parseWorkers, WORKERS_FLAG } from "../io/modelArgs.js";
import { reportTo } from "../progress/reportTo.js";

const usage = `lmm loso --data F.csv --formula "y ~ x + (1 | site)" --group site
         [--columns F.columns.json] [--ml] [--partial K] [--workers N] [--json]
         [--weights COLUMN] [--offset COLUMN] [--contrasts site=sum,grade=poly]

Leave-one-level-out cross-validation: each level of the grouping column (a site, say) is held out in turn,
the model refitted on the others and the held-out rows predicted at the population level; prints RMSE, MAE
and R² of the mixed model and of the fixed-effects-only least-squares fit, per level and overall.`;

const flags = {
  ...MODEL_OPTIONS,
  group: { type: "string", value: "COLUMN", help: "grouping factor or column whose levels are held out in turn, e.g. site" },
  partial: { type: "string", value: "K", help: "also refit with the first K observations of the held-out level and predict its other rows (partial pooling)" },
  workers: WORKERS_FLAG,
} as const satisfies Flags;

/** `lmm loso`: leave-one-level-out cross-validation against the fixed-effects-only model. */
export const losoCommand: Command = {
  name: "loso",
  usage,
  flags,
  async run(argv, io) {
    const values = parseFlags(argv, flags);
    if (!values.group) throw new InvalidArgumentError("--group", undefined, "the grouping factor or column whose levels are held out in turn, e.g. site");
    const k = values.partial === undefined ? undefined : Number(values.partial);
    if (k !== undefined && !(Number.isInteger(k) && k >= 1)) throw new InvalidArgumentError("--partial", values.partial, "a whole number ≥ 1 (observations of the held-out level used for partial pooling)");
    const workers = parseWorkers(values.workers);
    const { model, data, levels } = fitFromArgs(values, "y ~ x + (1 | site)");
    const result = await leaveOneLevelOut(model, { data, group: values.group, levels, workers, partialPooling: k === undefined ? undefined : { k }, onProgress: reportTo(io, "refits without one level") });
    io.stdout(values.json ? JSON.stringify(losoJson(model.formula, result), finiteOrNull, 2) + "\n" : losoText(result));
    return 0;
  },
};

const metrics = (m: PredictionMetrics | null) => m && { n: m.n, rmse: m.rmse, mae: m.mae, r2: m.r2, bias: m.bias };

function losoJson(formula: string, r: LeaveOneLevelOut) {
  return {
    formula,
    group: r.group,
    predictWith: r.predictWith,
    partialK: r.k,
    overall: { mixed: metrics(r.overall.mixed), fixedOnly: metrics(r.overall.fixedOnly), ...(r.k !== null ? { partial: metrics(r.overall.partial) } : {}) },
    levels: r.levels.map((l) => ({
      level: l.level,
      n: l.n,
      mixed: metrics(l.mixed),
      fixedOnly: metrics(l.fixedOnly),
      ...(r.k !== null ? { partial: metrics(l.partial) } : {}),
      error: l.error?.message ?? null,
    })),
  };
}

function losoText(r: LeaveOneLevelOut): string {
  const parts = r.k !== null ? ["mixed", "fixedOnly", "partial"] as const : ["mixed", "fixedOnly"] as const;
  const head = ["level", "n", ...parts.flatMap((p) => [`${p} rmse`, `${p} mae`, `${p} r2`])];
  const cells = (m: PredictionMetrics | null) => (m ? [m.rmse, m.mae, m.r2].map(fmt) : ["NA", "NA", "NA"]);
  const rows = [
    ...r.levels.map((l) => [l.level, String(l.n), ...parts.flatMap((p) => cells(l[p]))]),
    ["overall", String(r.overall.mixed.n), ...parts.flatMap((p) => cells(r.overall[p]))],
  ];
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const line = (c: string[]) => c.map((x, j) => (j === 0 ? x.padEnd(widths[j]) : x.padStart(widths[j]))).join("  ");
  const what = r.k !== null ? `; partial: refit with the first ${r.k} observations of the level, predicting the rest` : "";
  return [`Leave-one-${r.group}-out cross-validation (mixed: population-level predictions; fixedOnly: least squares on the fixed formula${what})`, line(head), ...rows.map(line), ""].join("\n");
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(4) : "NA";
}
