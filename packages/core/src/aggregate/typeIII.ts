// lmerTest's `anova(model)` (type-III F tests per fixed-effect term) for a fit from sums. The
// hypotheses are lmerTest's: with one term, the Doolittle contrasts of X'X (a sum the cells hold);
// otherwise least-squares maps between codings of the same terms, ginv(X) rdX. Where those maps
// are identities of the coding (every full-indicator column a combination of the model's columns,
// which R's coding rule ensures unless the rows alias a column the fit drops) they are the same on any rows that make X of
// full rank, so they are computed on synthetic rows: every level combination, the numeric
// variables drawn independently. Where they are not, the hypothesis depends on the rows: refused.
import { NotAggregableError } from "../errors/aggregate.js";
import { buildModelMatrix, type ModelMatrix, type ModelMatrixCoding, type VariableSource } from "../frame/modelMatrix.js";
import { independentColumns, selectColumns } from "../frame/rank.js";
import type { AnovaRow } from "../inference/anova.js";
import { typeIIIContrastsOf, type TermContrast } from "../inference/typeIII.js";
import { Rng } from "../numerics/Rng.js";
import { fitSumsOf, type AggregatedFit } from "./fit.js";
import { fTestAggregated, type AggregatedTestOptions } from "./tests.js";

/** Most synthetic rows (level combinations × replicates) the contrasts are derived on. */
const MAX_SYNTHETIC_ROWS = 200_000;

/**
 * The type-III hypothesis matrix of every fixed-effect term of a fit from sums, as
 * `typeIIIContrasts(model)` of the in-memory model of the same rows.
 *
 * @param coding The fixed part's coding (an `AggregationPlan`'s `fixedCoding`).
 * @throws {@link NotAggregableError} when a term's hypothesis depends on the rows (a column the
 *   rows alias was dropped), or the factors have too many level combinations to derive it.
 *
 * @example
 * ```ts
 * typeIIIContrastsAggregated(fit, plan.fixedCoding); // [{ term: "x", L, rows: 1 }, …]
 * ```
 */
export function typeIIIContrastsAggregated(fit: AggregatedFit, coding: ModelMatrixCoding): TermContrast[] {
  const { sums, layout } = fitSumsOf(fit);
  const { n, source } = syntheticRows(coding);
  const full = buildModelMatrix(coding, n, source);
  // The fit's columns: aliased ones dropped as the fit dropped them (by name).
  const names = fit.fixef.map((f) => f.name);
  const X: ModelMatrix = names.length === full.p ? full : selectColumns(full, names.map((name) => full.names.indexOf(name)));
  const p = names.length;
  const crossProduct = () => {
    const xtx = new Float64Array(p * p);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) xtx[a * p + b] = sums.product(layout.xyColumns[a], layout.xyColumns[b]).reduce((s, v) => s + v, 0);
    return xtx;
  };
  const order = Int32Array.from({ length: n }, (_, i) => i);
  return typeIIIContrastsOf({ X, crossProduct, build: (c) => buildModelMatrix(c, n, source), independent: (m) => independentColumns(m, order), rowsAreSynthetic: true });
}

/**
 * lmerTest's type-III table of a fit from sums (`anova(model, ddf = …)`): one F test per
 * fixed-effect term (intercept excluded), Satterthwaite (default), Kenward–Roger or residual df.
 *
 * @throws {@link NotAggregableError} as {@link typeIIIContrastsAggregated}.
 *
 * @example
 * ```ts
 * anovaTypeIIIAggregated(fit, plan.fixedCoding, { ddf: "kenward-roger" }); // [{ term, sumSq, meanSq, numDf, denDf, F, pValue }]
 * ```
 */
export function anovaTypeIIIAggregated(fit: AggregatedFit, coding: ModelMatrixCoding, options: AggregatedTestOptions = {}): AnovaRow[] {
  return typeIIIContrastsAggregated(fit, coding)
    .filter((c) => c.rows > 0)
    .map((c) => ({ term: c.term, ...fTestAggregated(fit, c.L, c.rows, options) }));
}

/**
 * Rows on which X has full rank whatever identities the coding has: every combination of the
 * factors' levels, each repeated 2^m + 1 times (m numeric columns: within a combination, the
 * model's columns are products of at most m of them) with the numeric values drawn independently.
 */
function syntheticRows(coding: ModelMatrixCoding): { n: number; source: VariableSource } {
  const factors = new Map<string, string[]>();
  const numeric = new Map<string, number>(); // label → number of columns (a basis has several)
  const suffixes = new Map<string, string[]>();
  for (const t of coding.terms) {
    for (const v of t.variables) {
      if (v.kind === "numeric") numeric.set(v.label, 1);
      else if (v.kind === "matrix") {
        numeric.set(v.label, v.suffixes.length);
        suffixes.set(v.label, v.suffixes);
      } else factors.set(v.label, v.levels);
    }
  }
  const m = [...numeric.values()].reduce((s, k) => s + k, 0);
  const combinations = [...factors.values()].reduce((s, l) => s * Math.max(l.length, 1), 1);
  const replicates = 2 ** Math.min(m, 20) + 1;
  const n = combinations * replicates;
  if (!(n <= MAX_SYNTHETIC_ROWS)) {
    throw new NotAggregableError("the type III tests", `lmerTest's hypotheses are derived here over every combination of the factors' levels and ${m} numeric column${m === 1 ? "" : "s"} (${n} rows, above ${MAX_SYNTHETIC_ROWS})`);
  }
  const codes = new Map<string, Int32Array>();
  let stride = replicates;
  for (const [label, levels] of factors) {
    const c = new Int32Array(n);
    for (let i = 0; i < n; i++) c[i] = Math.floor(i / stride) % levels.length;
    codes.set(label, c);
    stride *= levels.length;
  }
  // Fixed seed: the contrasts are the same on any such rows (up to rounding), so the draw is incidental.
  const rng = new Rng(20260419);
  const values = new Map<string, Float64Array[]>();
  for (const [label, k] of numeric) values.set(label, Array.from({ length: k }, () => Float64Array.from({ length: n }, () => rng.normal())));
  const source: VariableSource = (label) => {
    const levels = factors.get(label);
    if (levels) return { factor: { levels, codes: codes.get(label)! } };
    const v = values.get(label);
    if (!v) throw new Error(`internal: variable ${label} missing from the synthetic rows`);
    return suffixes.has(label) ? { columns: v, suffixes: suffixes.get(label)! } : { values: v[0] };
  };
  return { n, source };
}
