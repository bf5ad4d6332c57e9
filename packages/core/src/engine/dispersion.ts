// A residual variance per level of a factor (the dispersion formula, nlme's varIdent): for fixed δ
// the model is a weighted LMM with prior weights wᵢ/δ²_g(i), so the cross-products are
// A(δ) = Σ_g A_g / δ²_g with A_g summed from level g's rows alone, and Σ log wᵢ gains −2 Σ_g n_g log δ_g.
// δ (log scale, the reference level's fixed at 1) is optimised together with θ; each evaluation
// recombines A in place from the per-level blocks (no allocation, no pass over rows).
import type { DispersionFactor } from "../frame/dispersion.js";
import { BlockSparse, Dense, UniformBlockDiagonal } from "./linalg/Dense.js";
import type { Block } from "./linalg/products.js";
import { RowCrossProducts, type CrossProducts } from "./crossProducts.js";
import type { LmmDesign } from "./design.js";

/** The dispersion factor of a design, with the δ its weights include. */
export interface DispersionDesign extends DispersionFactor {
  /** δ per level (δ₀ = 1, the reference) that `design.weights` include: all 1 for a design as built. */
  delta: Float64Array;
  /** The prior weights alone (null: all 1); `design.weights` are these divided by δ²_g. */
  priorWeights: Float64Array | null;
}

/** The residual variance per level of a dispersion formula (`dispersion: "~ vendor"`), as fitted. */
export interface ModelDispersion {
  /** The formula as given (`"~ vendor"`). */
  formula: string;
  /** The factor's column. */
  column: string;
  /** Its levels; the first is the reference (δ = 1, residual sd σ). */
  levels: string[];
  /** Rows used per level. */
  counts: Int32Array;
  /** δ̂ per level: the ratio of its residual sd to the reference level's (nlme's varIdent parameters). */
  delta: Float64Array;
  /** Residual sd per level: σ̂δ̂_g. */
  sd: Float64Array;
  /** The pooled residual variance Σ_g n_g (σ̂δ̂_g)² / n: the residual's share in a variance decomposition. */
  pooledVariance: number;
}

/** The fitted dispersion of a design at δ (null without a dispersion formula of two levels or more). */
export function dispersionOf(design: { dispersion?: DispersionDesign | null }, delta: Float64Array | null, sigma: number): ModelDispersion | null {
  const d = design.dispersion;
  if (!d || !delta) return null;
  const sd = delta.map((v) => v * sigma);
  let pooled = 0, n = 0;
  for (let g = 0; g < sd.length; g++) {
    pooled += d.counts[g] * sd[g] * sd[g];
    n += d.counts[g];
  }
  return { formula: d.formula, column: d.column, levels: d.levels.slice(), counts: d.counts.slice(), delta: delta.slice(), sd, pooledVariance: pooled / n };
}

/** Whether a design has residual variances to estimate (a dispersion factor of two levels or more). */
export function hasDispersion(design: LmmDesign): boolean {
  return design.dispersion !== null && design.dispersion.levels.length > 1;
}

/** The design's dispersion as built from its frame: δ = 1 everywhere. */
export function initialDispersion(factor: DispersionFactor | null, priorWeights: Float64Array | null): DispersionDesign | null {
  if (!factor) return null;
  return { ...factor, delta: new Float64Array(factor.levels.length).fill(1), priorWeights };
}

/**
 * The same design with δ fixed: its weights are the prior weights divided by δ²_g, so every
 * computation over rows (residuals, hat values, simulation, the marginal covariance) sees the
 * residual variance of each level. The canonical order stays valid (the dispersion codes are among
 * its keys).
 */
export function designAtDispersion(design: LmmDesign, delta: ArrayLike<number>): LmmDesign {
  const d = design.dispersion!;
  const prior = d.priorWeights;
  const weights = new Float64Array(d.codes.length);
  for (let i = 0; i < weights.length; i++) {
    const s = delta[d.codes[i]];
    weights[i] = (prior ? prior[i] : 1) / (s * s);
  }
  return { ...design, weights, dispersion: { ...d, delta: Float64Array.from(delta) } };
}

/** The values array of a block (all three kinds keep theirs in one Float64Array). */
function valuesOf(b: Block): Float64Array {
  if (b instanceof BlockSparse) return b.values;
  return (b as Dense | UniformBlockDiagonal).data;
}

function copyStructure(b: Block): Block {
  if (b instanceof BlockSparse) return new BlockSparse(b.kr, b.kc, b.blockRows, b.blockCols, b.colPtr, b.rowIdx);
  if (b instanceof UniformBlockDiagonal) return new UniformBlockDiagonal(b.k, b.blocks);
  const d = b as Dense;
  return new Dense(d.rows, d.cols);
}

/**
 * {@link CrossProducts} of a dispersion model at the current δ: one {@link RowCrossProducts} per
 * level (the prior weights of the other levels' rows set to 0, so every block keeps the full
 * pattern), recombined by `setLogDelta`. This is the "weighted cross-products per dispersion level"
 * shape any other producer of A (sums in SQL) can hand over too.
 */
export class DispersedCrossProducts implements CrossProducts {
  readonly n: number;
  readonly p: number;
  readonly A: Block[][];
  logWeights: number;
  /** log δ per level, as last set (relative to whichever level is 0: the pivot while optimising). */
  readonly logDelta: Float64Array;
  /**
   * The level the optimiser holds at δ = 1: the one with most rows. The criterion is invariant under
   * (θ, δ) → (θc, δc), so any level can be held; holding a small first level (3 patients of one
   * site) makes σ, and so θ and every δ, hang on a few rows: a long flat valley for BOBYQA.
   */
  readonly pivot: number;
  /**
   * Where the optimiser starts log δ when the cross-products came without rows (sums per level
   * computed elsewhere): half the log ratio of each level's variance of y to the first level's, as
   * `startingLogDelta` computes it from rows. Null for cross-products of rows (computed from them).
   */
  readonly startLogDelta: Float64Array | null;
  private readonly levels: CrossProducts[];
  /** The per-level sums of rows (null: given sums, e.g. from SQL cells). */
  private readonly rows: RowCrossProducts[] | null;
  private readonly priorLogWeights: number;
  private readonly counts: Int32Array;
  /** 1/δ²_g of the last combination (reused). */
  private readonly levelWeights: Float64Array;
  /** Per block of A, the values array of each level's block (gathered once). */
  private readonly parts: { out: Float64Array; levels: Float64Array[] }[];

  /** The per-level cross-products of a design's rows (prior weights of the other levels' rows set to 0). */
  static fromRows(design: LmmDesign, y: Float64Array): DispersedCrossProducts {
    const d = design.dispersion!;
    const prior = d.priorWeights;
    const levels = d.levels.map((_, g) => {
      const w = new Float64Array(d.codes.length);
      for (let i = 0; i < w.length; i++) w[i] = d.codes[i] === g ? (prior ? prior[i] : 1) : 0;
      return new RowCrossProducts({ ...design, weights: w }, y);
    });
    let ldW = 0;
    if (prior) for (let x = 0; x < design.order.length; x++) ldW += Math.log(prior[design.order[x]]);
    return new DispersedCrossProducts({ levels, rows: levels, counts: d.counts, delta: d.delta, priorLogWeights: ldW, startLogDelta: null });
  }

  /**
   * From cross-products summed per level elsewhere (every level's blocks with the same pattern, zeros
   * where the level has no rows): the shape sums computed next to the data hand over.
   */
  constructor(parts: { levels: CrossProducts[]; rows?: RowCrossProducts[] | null; counts: Int32Array; delta: Float64Array; priorLogWeights: number; startLogDelta: Float64Array | null }) {
    this.counts = parts.counts;
    this.levels = parts.levels;
    this.rows = parts.rows ?? null;
    this.startLogDelta = parts.startLogDelta;
    const first = this.levels[0];
    this.n = first.n;
    this.p = first.p;
    this.A = first.A.map((row) => row.map(copyStructure));
    this.parts = [];
    this.A.forEach((row, i) => row.forEach((b, j) => this.parts.push({ out: valuesOf(b), levels: this.levels.map((l) => valuesOf(l.A[i][j])) })));
    this.priorLogWeights = parts.priorLogWeights;
    this.levelWeights = new Float64Array(this.levels.length);
    this.logWeights = parts.priorLogWeights;
    this.logDelta = Float64Array.from(parts.delta, Math.log);
    let pivot = 0;
    for (let g = 1; g < this.counts.length; g++) if (this.counts[g] > this.counts[pivot]) pivot = g;
    this.pivot = pivot;
    this.combine();
  }

  /** Whether the per-level sums were computed from rows here (then `y` and `setResponse` work). */
  get fromRows(): boolean {
    return this.rows !== null;
  }

  private rowLevels(): RowCrossProducts[] {
    if (!this.rows) throw new Error("internal: these per-level cross-products were not summed from rows");
    return this.rows;
  }

  get y(): Float64Array {
    return this.rowLevels()[0].y;
  }
  get yOrder(): Int32Array {
    return this.rowLevels()[0].yOrder;
  }

  setResponse(y: Float64Array): void {
    for (const l of this.rowLevels()) l.setResponse(y);
    this.combine();
  }

  /** Sets log δ of every level but the pivot (read from `values[from …]`, levels in order), the pivot's 0, and recombines A. */
  setFree(values: ArrayLike<number>, from = 0): void {
    for (let g = 0, k = from; g < this.logDelta.length; g++) this.logDelta[g] = g === this.pivot ? 0 : values[k++];
    this.combine();
  }

  /** Sets δ of every level (not its log) and recombines A. */
  setDelta(delta: ArrayLike<number>): void {
    for (let g = 0; g < this.logDelta.length; g++) this.logDelta[g] = Math.log(delta[g]);
    this.combine();
  }

  /** δ per level as set, relative to the first level (δ₀ = 1): the reported parameterisation. */
  delta(): Float64Array {
    return Float64Array.from(this.logDelta, (l) => Math.exp(l - this.logDelta[0]));
  }

  /** A = Σ_g A_g / δ²_g and Σ log w, in place (no allocation: it runs at every evaluation of the joint optimiser). */
  private combine(): void {
    const G = this.levels.length, ld = this.logDelta, w = this.levelWeights;
    let ldW = this.priorLogWeights;
    for (let g = 0; g < G; g++) {
      ldW -= 2 * this.counts[g] * ld[g];
      w[g] = Math.exp(-2 * ld[g]);
    }
    this.logWeights = ldW;
    for (const { out, levels } of this.parts) {
      const a = levels[0], w0 = w[0];
      for (let x = 0; x < out.length; x++) out[x] = w0 * a[x];
      for (let g = 1; g < G; g++) {
        const b = levels[g], wg = w[g];
        for (let x = 0; x < out.length; x++) out[x] += wg * b[x];
      }
    }
  }
}
