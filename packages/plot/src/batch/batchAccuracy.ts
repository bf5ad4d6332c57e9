import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions, MarkOptions } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { formatNumber } from "../text/format.js";
import { STAGES, type BatchAccuracyInput } from "./data.js";
import type { BatchClassificationLike } from "@lmm/diagnostics";

interface StageRow {
  stage: string;
  accuracy: number;
  chance: number;
  uniform: number;
  n: number;
  method: string;
}

function stageRows(input: BatchAccuracyInput): StageRow[] {
  const row = (stage: string, c: BatchClassificationLike) => ({ stage, accuracy: c.accuracy, chance: c.chance, uniform: c.uniformChance ?? NaN, n: c.n, method: c.method });
  return [row(STAGES.before, input.before), ...(input.after ? [row(STAGES.after, input.after)] : [])];
}

/**
 * Accuracy bars per stage with the per-fold accuracies as dots, and per stage a red tick at the chance
 * rate (majority batch) and a grey one at 1/number of batches.
 *
 * @example
 * ```ts
 * Plot.plot({ marks: batchAccuracyMarks({ before: batchClassifier(raw, batch) }) });
 * ```
 */
export function batchAccuracyMarks(input: BatchAccuracyInput, options: MarkOptions = {}): Plot.Markish[] {
  const rows = stageRows(input);
  const folds = [[STAGES.before, input.before], ...(input.after ? [[STAGES.after, input.after] as const] : [])].flatMap(([stage, c]) =>
    ((c as BatchClassificationLike).folds ?? []).map((f) => ({ stage: stage as string, fold: f.fold + 1, accuracy: f.accuracy, n: f.n })),
  );
  return [
    Plot.barX(rows, {
      x: "accuracy",
      y: "stage",
      fill: "#4e79a7",
      fillOpacity: 0.8,
      channels: { chance: { value: "chance", label: "chance (majority batch)" }, n: { value: "n", label: "n" }, method: { value: "method", label: "classifier" } },
      tip: options.tip === false ? false : { format: { y: true, x: true, chance: true, n: true, method: true } },
    }),
    Plot.dot(folds, { x: "accuracy", y: "stage", r: 2.5, fill: "white", stroke: "#333", ariaDescription: "folds" }),
    Plot.tickX(rows, { x: "chance", y: "stage", stroke: "#d62728", strokeWidth: 3, ariaDescription: "chance" }),
    Plot.tickX(rows.filter((r) => Number.isFinite(r.uniform)), { x: "uniform", y: "stage", stroke: "#999", strokeWidth: 2, strokeDasharray: "3,2", ariaDescription: "uniform chance" }),
    Plot.ruleX([0]),
  ];
}

/**
 * How well batch can be predicted from the features (cross-validated classifier), before and after
 * harmonisation, against the chance rate: after a good harmonisation accuracy falls to chance.
 *
 * @example
 * ```ts
 * batchAccuracy({ before: batchClassifier(raw, batch), after: batchClassifier(harmonised, batch) });
 * ```
 */
export function batchAccuracy(input: BatchAccuracyInput, options: FigureOptions = {}): Figure {
  const rows = stageRows(input);
  const text = rows.map((r) => `${r.stage} ${formatNumber(r.accuracy * 100)}%`).join(", ");
  return renderFigure(
    {
      title: "Can the features predict the batch?",
      subtitle: `Cross-validated ${input.before.method} accuracy (${text}); red tick: majority-batch chance ${formatNumber(input.before.chance * 100)}%; grey: 1/batches; dots: folds`,
      height: 60 + rows.length * 60,
      marginLeft: 140,
      x: { label: "Accuracy (%)", percent: true, domain: [0, 100], grid: true },
      y: { label: null, domain: rows.map((r) => r.stage) },
      marks: batchAccuracyMarks(input, options),
    },
    options,
  );
}
