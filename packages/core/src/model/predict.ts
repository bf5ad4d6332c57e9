import { MissingValueError, NewLevelError } from "../errors/data.js";
import { InvalidArgumentError } from "../errors/LmmError.js";
import { buildModelMatrix, type VariableSource } from "../frame/modelMatrix.js";
import { commonLength, type DataColumns } from "../frame/data.js";
import { readFactor, readNumeric, type Factor } from "../frame/variables.js";
import { evaluateExpression } from "../frame/evaluate.js";
import { readVariable } from "../frame/read.js";
import type { LmmDesign } from "../engine/design.js";

/** Options of `predict`. */
export interface PredictOptions {
  /** Include the random effects (default true); false gives the population-level prediction Xβ̂. */
  re?: boolean;
  /**
   * What to do with a grouping level the model has not seen: `"error"` (default) throws a
   * NewLevelError naming it; `"population"` predicts at the population level (random effect 0).
   */
  newLevels?: "error" | "population";
  /** Rows with a missing value in a used column: `"fail"` (default) throws, `"pass"` predicts NaN there. */
  na?: "fail" | "pass";
}

/** Predictions for new rows from a fitted design, β̂ and conditional modes b (per ReMat; per id for a known-covariance term). */
export function predictNew(design: LmmDesign, beta: Float64Array, b: Float64Array[], newdata: DataColumns, options: PredictOptions): Float64Array {
  const spec = design.frame.spec;
  const withRe = options.re !== false;
  const used = new Set<string>();
  const collect = (terms: string[][]) => terms.forEach((t) => t.forEach((v) => used.add(v)));
  collect(spec.fixed.terms);
  if (withRe) for (const r of spec.random) {
    collect(r.lhs.terms);
    r.group.forEach((g) => used.add(g));
  }
  spec.offsets.forEach((o) => used.add(o));
  const offsetColumn = design.frame.offsetOption?.column;
  if (design.frame.offsetOption && offsetColumn === null) {
    throw new InvalidArgumentError("newdata", newdata, "the offset too: the model was fitted with the offset given as numbers; give it as a column (offset: \"column\") to predict new rows");
  }
  // With no variables used (y ~ 1 at the population level) the rows are counted from any column.
  const named = [...[...used].flatMap((l) => spec.variables.get(l)!.columns), ...(offsetColumn ? [offsetColumn] : [])];
  const columns = named.length > 0 ? named : Object.keys(newdata).slice(0, 1);
  if (columns.length === 0) throw new InvalidArgumentError("newdata", newdata, "at least one column (to count the rows to predict)");
  const n = commonLength(newdata, columns);
  const missing = new Uint8Array(n);
  const source = newDataSource(design, newdata, n, missing, options.na ?? "fail");

  const full = buildModelMatrix(design.X.coding, n, source);
  const index = new Map(full.names.map((name, j) => [name, j]));
  const out = new Float64Array(n);
  addOffset(design, newdata, n, missing, options.na ?? "fail", out);
  design.X.names.forEach((name, j) => {
    const col = index.get(name)! * n;
    for (let i = 0; i < n; i++) out[i] += full.data[col + i] * beta[j];
  });
  if (withRe) {
    design.reterms.forEach((re, j) => {
      const groupVars = re.terms[0].matrix.spec.group;
      const groupFactors = groupVars.map((g) => source(g, true) as { factor: Factor });
      if (re.structure) {
        // b is per id here (S b*): a row adds its id's mode.
        const idIndex = new Map(re.structure.ids.map((l, i) => [l, i]));
        for (let i = 0; i < n; i++) {
          if (missing[i]) continue;
          const label = groupFactors[0].factor.levels[groupFactors[0].factor.codes[i]];
          const l = idIndex.get(label);
          if (l === undefined) {
            if (options.newLevels === "population") continue;
            throw new NewLevelError(re.groupLabel, label, " (it has no row in the known covariance matrix); predict with newLevels: \"population\" to use the population-level prediction for it");
          }
          out[i] += b[j][l];
        }
        return;
      }
      const levelIndex = new Map(re.levels.map((l, i) => [l, i]));
      for (const term of re.terms) {
        const z = buildModelMatrix(term.matrix.coding, n, source);
        for (let i = 0; i < n; i++) {
          if (missing[i]) continue;
          const label = groupFactors.map((g) => g.factor.levels[g.factor.codes[i]]).join(":");
          const l = levelIndex.get(label);
          if (l === undefined) {
            if (options.newLevels === "population") continue;
            throw new NewLevelError(re.groupLabel, label, "; predict with newLevels: \"population\" to use the population-level prediction for it");
          }
          for (let c = 0; c < term.k; c++) out[i] += z.data[c * n + i] * b[j][l * re.k + term.offset + c];
        }
      }
    });
  }
  for (let i = 0; i < n; i++) if (missing[i]) out[i] = NaN;
  return out;
}

/** Adds the model's offset at the new rows: its offset(…) terms, and the column of the `offset` option. */
function addOffset(design: LmmDesign, newdata: DataColumns, n: number, missing: Uint8Array, na: "fail" | "pass", out: Float64Array): void {
  const { spec, offsetOption } = design.frame;
  const parts: { column: string; values: Float64Array }[] = spec.offsets.map((label) => {
    const ref = spec.variables.get(label)!;
    return { column: ref.column, values: evaluateExpression(ref.expr, newdata, n, label).values };
  });
  if (offsetOption?.column) parts.push({ column: offsetOption.column, values: readNumeric(newdata, { column: offsetOption.column }) });
  for (const { column, values } of parts) {
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(values[i])) {
        if (na === "fail") throw new MissingValueError(column, i);
        missing[i] = 1;
      } else out[i] += values[i];
    }
  }
}

/**
 * Variables of new data coded as in the fit: numbers with their transform, bases with what they
 * learned on the fit's data (never relearned on the new rows), factors on the fitted levels (an
 * unseen level of a fixed-effect factor is an error: it has no coefficient).
 */
function newDataSource(design: LmmDesign, newdata: DataColumns, n: number, missing: Uint8Array, na: "fail" | "pass"): VariableSource & ((label: string, asGroup?: boolean) => ReturnType<VariableSource>) {
  const { frame } = design;
  const cache = new Map<string, ReturnType<VariableSource>>();
  const mark = (column: string, isNa: (i: number) => boolean) => {
    for (let i = 0; i < n; i++) {
      if (!isNa(i)) continue;
      if (na === "fail") throw new MissingValueError(column, i);
      missing[i] = 1;
    }
  };
  return (label: string, asGroup = false) => {
    const key = `${asGroup ? "g" : "v"}:${label}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const ref = frame.spec.variables.get(label)!;
    let result: ReturnType<VariableSource>;
    const fitted = frame.factors.get(label);
    if (!asGroup && frame.numeric.has(label)) {
      const values = ref.kind === "column" ? readNumeric(newdata, ref) : evaluateExpression(ref.expr, newdata, n, label).values;
      mark(ref.column, (i) => Number.isNaN(values[i]));
      for (let i = 0; i < n; i++) if (Number.isNaN(values[i])) values[i] = 0;
      result = { values };
    } else if (!asGroup && frame.bases.has(label)) {
      const v = readVariable(newdata, ref, n, {}, frame.transforms);
      if (v.kind !== "basis") throw new Error(`internal: ${label} is not a basis`);
      mark(ref.column, (i) => Number.isNaN(v.columns[0][i]));
      for (const c of v.columns) for (let i = 0; i < n; i++) if (Number.isNaN(c[i])) c[i] = 0;
      result = { columns: v.columns, suffixes: v.suffixes };
    } else {
      const raw = readFactor(newdata, ref.column, {});
      mark(ref.column, (i) => raw.codes[i] < 0);
      if (asGroup) result = { factor: raw };
      else {
        const levels = fitted!.levels;
        const at = new Map(levels.map((l, i) => [l, i]));
        const codes = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          if (raw.codes[i] < 0) continue;
          const l = at.get(raw.levels[raw.codes[i]]);
          if (l === undefined) throw new NewLevelError(ref.column, raw.levels[raw.codes[i]], ": a fixed-effect factor can only take levels it was fitted with");
          codes[i] = l;
        }
        result = { factor: { levels, codes } };
      }
    }
    cache.set(key, result);
    return result;
  };
}
