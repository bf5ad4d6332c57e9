import type { ModelSpec } from "../formula/terms.js";
import type { DroppedRows } from "../frame/ModelFrame.js";
import type { LearnedTransforms } from "../frame/basis/index.js";
import type { ContrastName } from "../frame/contrasts.js";
import type { FitWarning, LmmDesign } from "../engine/design.js";

/** One grouping factor over the rows a model used (all lme4 terms on it together, as `ranef`). */
export interface GroupingFactor {
  /** lme4's label (`Subject`, `site:patient`). */
  group: string;
  levels: string[];
  /** Level of each row used. */
  codes: Int32Array;
  /** Random-effect columns on this factor (`(Intercept)`, `Days` …). */
  columns: string[];
  /** Their values, rows used × columns, row-major (Z before Λ). */
  z: Float64Array;
  /** The levels are ids with a known covariance matrix (one pseudo-level: `levels` holds the ids, `codes` are 0). */
  knownCovariance: boolean;
}

/** One lme4 random-effects term (as `VarCorr` lists them) and where its columns sit on its grouping factor. */
export interface RandomTerm {
  /** lme4's label: the grouping factor, with `.1`, `.2` … for further terms on the same factor. */
  name: string;
  group: string;
  columns: string[];
  /** Index of the grouping factor in `groupingFactors()`, the term's first column there and its number of columns. */
  factor: number;
  offset: number;
  k: number;
  /** First index of the term's entries in θ, and how many (k(k+1)/2, or 1 for a known covariance). */
  thetaStart: number;
  thetaLength: number;
}

/** The fixed-effects model matrix over the rows used (aliased columns dropped). */
export interface FixedMatrix {
  n: number;
  p: number;
  names: string[];
  /** Column-major n × p. */
  data: Float64Array;
  /** Term of each column (index into `terms`; −1 for the intercept). */
  assign: Int32Array;
  /** Term labels of the fixed part (`grade`, `time`, `grade:time`). */
  terms: string[];
}

/**
 * What refitting a model on some of its rows needs besides the formula (see `ModelStructure.refitRecipe`):
 * the data columns the formula reads, the level order of every categorical column as the fit coded
 * it, and the coding options (contrasts, learned bases) with the fit's prior weights and `offset`
 * option over the rows used.
 */
export interface RefitRecipe {
  columns: string[];
  levels: Record<string, string[]>;
  contrasts: Record<string, ContrastName>;
  transforms: LearnedTransforms;
  weights: Float64Array | null;
  offset: Float64Array | null;
}

/** The design behind a structure (the core's engine only: never exported from a package entry). */
export function designBehind(structure: ModelStructure): LmmDesign {
  // The private field read from inside core (TypeScript's bracket access); a WeakMap here cost every fit
  // an ephemeron entry for the collector to trace.
  return structure["design"];
}

/** A variable of the model frame over the rows used. */
export type FrameVariable = { kind: "numeric"; values: Float64Array } | { kind: "factor"; levels: string[]; codes: Int32Array };

/**
 * What a fit's design tells about its rows and terms, read-only and without the engine: the rows
 * used, the grouping factors and their levels, the model's variables and matrices, and Λ at any θ.
 * Every fit of one design shares it. Arrays are copies of the design's (made once and kept: treat
 * them as read-only), so nothing read here can change a fit.
 *
 * @example
 * ```ts
 * const s = lmm("Reaction ~ Days + (Days | Subject)", sleepstudy).structure;
 * s.groupingFactors()[0].levels; // ["308", "309", …]
 * ```
 */
export class ModelStructure {
  /** @internal Made by the core from a design. */
  constructor(private readonly design: LmmDesign) {}
  private factors?: GroupingFactor[];
  private terms?: RandomTerm[];
  private fixed?: FixedMatrix;

  /** What building the design found worth telling (aliased columns dropped, rows of weight 0). */
  get warnings(): FitWarning[] {
    return this.design.warnings.slice();
  }
  /** The formula as given. */
  get formula(): string {
    return this.design.formula;
  }
  /** Number of rows used. */
  get nobs(): number {
    return this.design.frame.n;
  }
  /** Number of rows of the data the model was given. */
  get nDataRows(): number {
    return this.design.frame.nRows;
  }
  /** Rows of the data left out (missing values, prior weight 0). */
  get droppedRows(): DroppedRows {
    return this.design.frame.dropped;
  }
  /** 0-based data row of each row used. */
  get rows(): Int32Array {
    return this.design.frame.rows.slice();
  }
  /** The formula's terms as parsed and expanded. */
  get spec(): ModelSpec {
    return this.design.frame.spec;
  }
  /** What the formula's bases (`poly`, `scale`, `ns`, `bs`) learned: give them as `transforms` to refit on other rows. */
  get transforms(): LearnedTransforms {
    return { ...this.design.frame.transforms };
  }
  /** Prior weights over the rows used (null: none). */
  get weights(): Float64Array | null {
    return this.design.weights?.slice() ?? null;
  }
  /** The offset over the rows used (null: none). */
  get offset(): Float64Array | null {
    return this.design.offset?.slice() ?? null;
  }
  /** lme4's θ names, and θ's lower bounds (0 for diagonals, −∞ below them). */
  get thetaNames(): string[] {
    return this.design.theta.names.slice();
  }
  get thetaLower(): Float64Array {
    return this.design.theta.lower.slice();
  }

  /** The grouping factors in lme4's order (decreasing number of levels). */
  groupingFactors(): GroupingFactor[] {
    return (this.factors ??= this.design.reterms.map((re) => ({
      group: re.groupLabel,
      levels: re.structure ? re.structure.ids.slice() : re.levels.slice(),
      codes: re.refs.slice(),
      columns: re.columnNames.slice(),
      z: re.z.slice(),
      knownCovariance: re.structure !== undefined,
    })));
  }

  /** The lme4 terms in θ's order. */
  randomTerms(): RandomTerm[] {
    if (this.terms) return this.terms;
    const seen = new Map<string, number>();
    return (this.terms = this.design.theta.terms.map((t) => {
      const group = t.remat.groupLabel;
      const count = seen.get(group) ?? 0;
      seen.set(group, count + 1);
      return {
        name: count === 0 ? group : `${group}.${count}`,
        group,
        columns: t.tied ? ["(Intercept)"] : t.remat.columnNames.slice(t.offset, t.offset + t.k),
        factor: t.index,
        offset: t.offset,
        k: t.k,
        thetaStart: t.start,
        thetaLength: t.tied ? 1 : (t.k * (t.k + 1)) / 2,
      };
    }));
  }

  /**
   * The relative covariance factor of each grouping factor at θ (lme4's Λ blocks: k × k lower
   * triangle, row-major, all terms on the factor together): Var(b) = σ² Λ Λ'.
   */
  covarianceFactors(theta: ArrayLike<number>): Float64Array[] {
    return this.design.theta.templates(theta);
  }

  /** The fixed-effects model matrix. */
  fixedMatrix(): FixedMatrix {
    const X = this.design.X;
    return (this.fixed ??= { n: X.n, p: X.p, names: X.names.slice(), data: X.data.slice(), assign: X.assign.slice(), terms: X.coding.terms.map((t) => t.label) });
  }

  /** A variable of the model frame by label (`Days`, `grade`, a grouping variable), or undefined. */
  variable(label: string): FrameVariable | undefined {
    const frame = this.design.frame;
    const numeric = frame.numeric.get(label);
    if (numeric) return { kind: "numeric", values: numeric.slice() };
    const factor = frame.factors.get(label);
    if (factor) return { kind: "factor", levels: factor.levels.slice(), codes: factor.codes.slice() };
    return undefined;
  }

  /** Labels of the frame's variables (numeric first, then categorical). */
  variables(): string[] {
    return [...this.design.frame.numeric.keys(), ...this.design.frame.factors.keys()];
  }

  /**
   * The recipe of a refit on other rows that codes them as this fit did (R's safe prediction: the
   * learned bases and knots are kept). Level orders are keyed by data column; numeric columns are
   * left out so that they stay numeric.
   */
  refitRecipe(): RefitRecipe {
    const frame = this.design.frame;
    const columns = [...new Set([...frame.spec.variables.values()].flatMap((ref) => ref.columns))];
    const numericColumns = new Set<string>();
    for (const label of frame.numeric.keys()) numericColumns.add(frame.spec.variables.get(label)!.column);
    // Column names are data: a column called "__proto__" must stay an ordinary key.
    const levels: Record<string, string[]> = Object.create(null);
    for (const [label, factor] of frame.factors) {
      const ref = frame.spec.variables.get(label);
      if (!ref || numericColumns.has(ref.column) || ref.transform === "factor") continue;
      levels[ref.column] = factor.levels.slice();
    }
    return {
      columns,
      levels,
      contrasts: { ...frame.contrasts },
      transforms: { ...frame.transforms },
      weights: frame.weights?.slice() ?? null,
      offset: frame.offsetOption?.values.slice() ?? null,
    };
  }
}
