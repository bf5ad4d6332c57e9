import { InvalidArgumentError, type DataColumns, type LinearMixedModel } from "@lmm/core";
import { qchisq } from "@lmm/core/numerics";

/** One level's residual spread: what the residuals show, with an interval, beside what the model says. */
export interface ResidualSpreadLevel {
  level: string;
  /** Rows of the level. */
  n: number;
  /**
   * The residual sd the residuals show: √(Σ rᵢ² w⁰ᵢ / (1 − hᵢ) / n) over the level's rows, with rᵢ the
   * conditional residual, hᵢ its leverage (so each term has expectation σ²δ²_g) and w⁰ᵢ the prior weight.
   */
  sd: number;
  /** χ²_n interval of that sd at the asked coverage: sd·√(n / χ²_{n, upper}) … sd·√(n / χ²_{n, lower}). */
  lower: number;
  upper: number;
  /** The model's residual sd of the level: σ̂δ̂_g with a dispersion formula, σ̂ otherwise. */
  model: number;
}

/** What {@link residualSpread} returns. */
export interface ResidualSpread {
  /** The factor the rows are grouped by (a column). */
  by: string;
  /** Coverage of the intervals. */
  coverage: number;
  /** Whether the model has a residual sd per level of `by` (its dispersion factor). */
  dispersion: boolean;
  levels: ResidualSpreadLevel[];
}

/**
 * The spread of the residuals per level of a factor (default the model's dispersion factor; else a
 * factor of the model, or any column of `data`, the model's data, read at the rows it used): the sd
 * the leverage-corrected residuals show in each level with a χ² interval, beside the model's residual
 * sd there (σ̂δ̂_g with a dispersion formula, σ̂ otherwise). Levels whose interval misses the model's sd
 * are where a homoscedastic model's one σ does not fit, or where a dispersion model's δ̂ is off.
 *
 * @example
 * ```ts
 * const s = residualSpread(lmm("y ~ x + (1 | patient)", data, { dispersion: "~ vendor" }));
 * s.levels.map((l) => [l.level, l.sd, l.model]);
 * ```
 */
export function residualSpread(model: LinearMixedModel, options: { by?: string; coverage?: number; data?: DataColumns } = {}): ResidualSpread {
  const coverage = options.coverage ?? 0.95;
  if (!(coverage > 0 && coverage < 1)) throw new InvalidArgumentError("coverage", coverage, "a number strictly between 0 and 1");
  const { structure } = model;
  const d = model.dispersion, factor = structure.dispersionFactor;
  const by = options.by ?? factor?.column;
  if (by === undefined) throw new InvalidArgumentError("by", by, "a factor of the model to group the residuals by (the model has no dispersion formula)");
  const grouping = by === factor?.column ? { levels: factor.levels, codes: factor.codes } : factorOf(model, by, options.data);
  const r = model.residuals(), h = model.hatvalues(), prior = structure.priorWeights;
  const G = grouping.levels.length;
  const ss = new Float64Array(G), n = new Int32Array(G);
  for (let i = 0; i < r.length; i++) {
    const g = grouping.codes[i];
    ss[g] += (r[i] * r[i] * (prior ? prior[i] : 1)) / (1 - h[i]);
    n[g]++;
  }
  const lowQ = (1 - coverage) / 2;
  return {
    by,
    coverage,
    dispersion: by === factor?.column && d !== null,
    levels: grouping.levels.map((level, g) => {
      const sd = Math.sqrt(ss[g] / n[g]);
      return {
        level,
        n: n[g],
        sd,
        lower: sd * Math.sqrt(n[g] / qchisq(1 - lowQ, n[g])),
        upper: sd * Math.sqrt(n[g] / qchisq(lowQ, n[g])),
        model: by === factor?.column && d ? d.sd[g] : model.sigma,
      };
    }),
  };
}

/** A categorical variable or grouping factor of the model, by column or label; else a column of `data` at the rows used. */
function factorOf(model: LinearMixedModel, by: string, data: DataColumns | undefined): { levels: string[]; codes: Int32Array } {
  const v = model.structure.variable(by);
  if (v?.kind === "factor") return v;
  const g = model.structure.groupingFactors().find((f) => f.group === by && !f.knownCovariance);
  if (g) return { levels: g.levels, codes: g.codes };
  if (data && Object.prototype.hasOwnProperty.call(data, by)) {
    const column = data[by], rows = model.structure.rows;
    if (column.length !== model.structure.nDataRows) throw new InvalidArgumentError(`data["${by}"]`, `${column.length} values`, `the ${model.structure.nDataRows} rows of the model's data`);
    const labels = Array.from(rows, (r) => String(column[r]));
    const levels = [...new Set(labels)].sort();
    const index = new Map(levels.map((l, i) => [l, i]));
    return { levels, codes: Int32Array.from(labels, (l) => index.get(l)!) };
  }
  throw new InvalidArgumentError("by", by, "a categorical variable or grouping factor of the model, its dispersion factor, or a column of `data`");
}
