import { designOf } from "./state.js";
import { abbreviate } from "../format/abbreviate.js";
import { formatColumn, layoutTable, quantileSorted, signif } from "../format/text.js";
import type { LinearMixedModel } from "./LinearMixedModel.js";

/** Extra columns of the fixed-effects table, e.g. Satterthwaite df and p-values. */
export interface SummaryColumns {
  title: string;
  values: number[];
  format?: (x: number) => string;
}

/**
 * lme4's `summary()` of a fit as text: criterion, scaled residuals, random effects, fixed effects
 * (with extra columns such as df and Pr(>|t|) when given), their correlations and the warnings.
 */
export function summaryText(m: LinearMixedModel, extra: SummaryColumns[] = []): string {
  const out: string[] = [];
  out.push(`Linear mixed model fit by ${m.reml ? "REML" : "maximum likelihood "} ['lmerMod']`);
  out.push(`Formula: ${m.formula}`);
  // As lme4's print: the weights and offset given as arguments (offset(…) terms are in the formula).
  const { weightsName, offsetOption } = designOf(m).frame;
  if (weightsName) out.push(`Weights: ${weightsName}`);
  if (offsetOption) out.push(` Offset: ${offsetOption.column ?? "offset"}`);
  out.push("");
  if (m.reml) out.push(`REML criterion at convergence: ${signif(m.objective, 5)}`, "");
  else {
    const cells = [signif(m.AIC, 5), signif(m.BIC, 5), signif(m.logLik, 5), signif(m.deviance, 5), String(m.nobs - m.beta.length)];
    out.push(layoutTable([["AIC", "BIC", "logLik", "deviance", "df.resid"], cells], ["r", "r", "r", "r", "r"]), "");
  }
  const r = m.residuals("pearson", { scaled: true }).slice().sort();
  const q = [0, 0.25, 0.5, 0.75, 1].map((p) => quantileSorted(r, p));
  out.push("Scaled residuals: ", layoutTable([["Min", "1Q", "Median", "3Q", "Max"], formatColumn(q, 4)], ["r", "r", "r", "r", "r"]), "");
  out.push("Random effects:", randomEffectsTable(m));
  const groups = m.ngroups().map((g) => `${g.group}, ${g.levels}`).join("; ");
  out.push(`Number of obs: ${m.nobs}, groups:  ${groups}`, "");
  const dispersion = varianceFunctionText(m);
  if (dispersion) out.push(dispersion, "");
  out.push("Fixed effects:", fixedEffectsTable(m, extra));
  if (m.beta.length > 1) out.push("", "Correlation of Fixed Effects:", correlationTable(m));
  if (m.droppedColumns.length > 0) out.push("", `fit warnings:\nfixed-effect model matrix is rank deficient so dropping ${m.droppedColumns.length} column(s): ${m.droppedColumns.join(", ")}`);
  const { name, evaluations, polishSteps, maxGradient } = m.optimizer;
  // Printed only when the Newton polish moved θ̂ (lme4 has no polish; its summaries stay as they are).
  if (polishSteps > 0) out.push("", `optimizer (${name}): ${evaluations} evaluations, then ${polishSteps} Newton step(s); max|grad| ${signif(maxGradient, 3)}`);
  for (const w of m.warnings.filter((w) => w.code !== "RANK_DEFICIENT")) out.push(w.code === "SINGULAR" ? `${w.message}` : `Warning: ${w.message}`);
  return out.join("\n") + "\n";
}

/**
 * nlme's print of a varIdent variance function: the structure, the formula and δ̂ per level (the
 * reference's 1), then each level's residual sd σ̂δ̂ (the Residual row above is the reference's).
 */
function varianceFunctionText(m: LinearMixedModel): string | null {
  const d = m.dispersion;
  if (!d) return null;
  const delta = formatColumn(Array.from(d.delta), 4), sd = formatColumn(Array.from(d.sd), 4);
  const align = d.levels.map(() => "r" as const);
  const indent = (t: string) => t.split("\n").map((line) => (line ? `  ${line}` : line)).join("\n");
  return [
    "Variance function:",
    " Structure: Different standard deviations per stratum",
    ` Formula: ${d.formula.trim()}`,
    " Parameter estimates:",
    indent(layoutTable([d.levels, delta], align)),
    ` Residual Std.Dev. per level (Residual above: ${d.levels[0]}):`,
    indent(layoutTable([d.levels, sd], align)),
  ].join("\n");
}

function randomEffectsTable(m: LinearMixedModel): string {
  const vc = m.varCorr();
  const rows: string[][] = [];
  const maxK = Math.max(...vc.terms.map((t) => t.terms.length));
  const variances = formatColumn([...vc.terms.flatMap((t) => t.variance), vc.residual.variance], 4);
  const sds = formatColumn([...vc.terms.flatMap((t) => t.sd), vc.residual.sd], 4);
  let at = 0;
  for (const t of vc.terms) {
    t.terms.forEach((name, i) => {
      const corr = maxK > 1 ? t.correlation[i].slice(0, i).map((c) => (Number.isFinite(c) ? c.toFixed(2) : "NaN")) : [];
      rows.push([i === 0 ? t.name : "", name, variances[at], sds[at], ...corr]);
      at++;
    });
  }
  rows.push(["Residual", "", variances[at], sds[at]]);
  const header = ["Groups", "Name", "Variance", "Std.Dev.", ...(maxK > 1 ? ["Corr"] : [])];
  const width = Math.max(header.length, ...rows.map((r) => r.length));
  const table = [header, ...rows].map((r) => [...r, ...new Array(width - r.length).fill("")]);
  return layoutTable(table.map((r) => [" " + r[0], ...r.slice(1)]), ["l", "l", "r", "r", ...new Array(width - 4).fill("r")]);
}

function fixedEffectsTable(m: LinearMixedModel, extra: SummaryColumns[]): string {
  const fe = m.fixef();
  const est = formatColumn(fe.map((f) => f.estimate), 5);
  const se = formatColumn(fe.map((f) => f.stdError), 4);
  const t = formatColumn(fe.map((f) => f.tValue), 4);
  const header = ["", "Estimate", "Std. Error", ...extra.filter((e) => e.title !== "Pr(>|t|)").map((e) => e.title), "t value", ...extra.filter((e) => e.title === "Pr(>|t|)").map((e) => e.title)];
  const rows = fe.map((f, j) => {
    const cells = (filter: (e: SummaryColumns) => boolean) => extra.filter(filter).map((e) => (e.format ?? ((x: number) => signif(x, 4)))(e.values[j]));
    return [f.name, est[j], se[j], ...cells((e) => e.title !== "Pr(>|t|)"), t[j], ...cells((e) => e.title === "Pr(>|t|)")];
  });
  return layoutTable([header, ...rows], ["l", ...new Array(header.length - 1).fill("r")]);
}

function correlationTable(m: LinearMixedModel): string {
  const p = m.beta.length;
  const v = m.vcov();
  // As lme4: rows labelled by abbreviate(names, 11), columns by abbreviate(names, 6).
  const names = abbreviate(m.fixefNames, 11);
  const short = abbreviate(m.fixefNames, 6);
  const rows: string[][] = [["", ...short.slice(0, p - 1)]];
  for (let i = 1; i < p; i++) {
    const cells = [];
    for (let j = 0; j < i; j++) cells.push((v[i * p + j] / Math.sqrt(v[i * p + i] * v[j * p + j])).toFixed(3));
    rows.push([names[i], ...cells]);
  }
  return layoutTable(rows, ["l", ...new Array(p - 1).fill("r")]);
}
