import { Dense, UniformBlockDiagonal, type BlockSparse } from "./linalg/Dense.js";
import { choleskyAfterRankUpdate } from "./linalg/rankUpdateCholesky.js";
import { cholBlockDiagonal, rdivSparseByBlockDiagonal } from "./linalg/kernels.js";
import type { BlockedSystem } from "./BlockedSystem.js";
import { scaleInflate } from "./lambda.js";
import { LevelGroups } from "./LevelGroups.js";
import type { ReMat } from "./ReMat.js";
import { schurColumns, trailingGathers, type Gather, type PlacedGather } from "./schurPattern.js";

/**
 * The same factor as {@link BlockedSystem}'s, in two block columns: the first grouping factor, then
 * everything after it (the other random effects, X and y) as one dense trailing block.
 *
 *   L = [D 0; S T],  D = chol(Λ₁'A₁₁Λ₁ + I),  S = Λ'A₂₁Λ₁ D⁻ᵀ,  T = chol(Λ'A₂₂Λ + I_Z − SS').
 *
 * The blocked factor spends one kernel call per pair of blocks, and one triangular solve per block
 * below a dense diagonal block; with several small grouping factors (a feature's patient, batch and
 * reader) that bookkeeping is most of an evaluation, and on large ones (InstEval) the solves are a
 * fifth of it. Here an evaluation is one sparse rank update and one dense factorisation. Cholesky
 * factors are unique, so the log-determinants and the penalised RSS are those of the blocked factor.
 *
 * Reads A from the blocked system at every update, so a new response set there is seen here. Only
 * the criterion is read from it: modes, variances and everything else use the blocked factor.
 */
export class SchurSystem {
  readonly D: UniformBlockDiagonal;
  /** Λ'A₂₁Λ₁D⁻ᵀ with scalar rows in T's numbering and the first factor's k columns per level. */
  readonly S: BlockSparse;
  /** Order of T: the later random effects, X and y. */
  readonly size: number;
  /** T's diagonal after the last update (the log-determinants and the penalised RSS). */
  readonly diagonal: Float64Array;
  /** T's last p + 1 rows and columns after the last update: [R_X r_Xy; r_y], lower, row stride p + 1. */
  readonly corner: Float64Array;
  /** Storage of T when it is not factored in the SIMD kernels' memory; allocated on first need. */
  private local: Dense | undefined;
  /**
   * T of the last update (row stride `size`): the SIMD kernels' memory — valid until their next use —
   * or this system's own storage. Read by the criterion's gradient ({@link SchurGradient}) right after
   * the update.
   */
  get factor(): Float64Array | null {
    return this.lastFactor;
  }
  private lastFactor: Float64Array | null = null;
  /** Whether `factor` is the SIMD kernels' memory (at 0) rather than this system's storage. */
  get factorInKernels(): boolean {
    return this.factor !== null && this.factor !== this.local?.data;
  }
  // Bound once: an evaluation allocates nothing.
  private readonly localT = () => (this.local ??= new Dense(this.size, this.size));
  private readonly fillTInto = (t: Float64Array) => this.fillT(this.lambdaDiagonal, t);
  private readonly fillGroupedInto = (t: Float64Array) => this.fillGrouped(t);
  /** How SS' is formed: by level groups ({@link LevelGroups}) or by a sparse rank update. */
  get mode(): "grouped" | "sparse" {
    return this.groups ? "grouped" : "sparse";
  }
  /** Index in T of the first fixed-effects row. */
  readonly fixedAt: number;
  private readonly first: ReMat;
  private readonly trailing: ReMat[];
  /** First row in T of each trailing factor's effects. */
  readonly offsets: number[];
  private readonly sGather: Gather[];
  /** T's lower-triangle entries with their rows and columns (entries scale by Λ's diagonal at both). */
  private readonly tGather: PlacedGather[];
  /** Λ's diagonal per row of T (1 for X and y), filled for the trailing factors whose template is diagonal. */
  private readonly lambdaDiagonal: Float64Array;
  /** Whether every trailing template is diagonal (then T's entries scale by Λ's diagonal). */
  private readonly allDiagonal: boolean;
  private readonly scratch: Float64Array;
  /** The templates of the update under way (the caller's storage, read only while it runs). */
  private templates: readonly Float64Array[] = [];
  /** θ₁² of the last update, for the grouped log-determinant. */
  private firstScale = NaN;
  /** For a scalar first factor whose levels fall in few groups of Z₁'Z₁: the grouped Schur complement. */
  private readonly groups: LevelGroups | null = null;
  /** S's values before scaling: A₂₁ gathered once per response, so an evaluation copies instead of gathering. */
  private readonly rawS: Float64Array;
  /** With `groups`: A₂₂'s lower triangle, unscaled. */
  private readonly rawT: Float64Array = new Float64Array(0);

  constructor(readonly system: BlockedSystem) {
    const { reterms, A, m, p } = system;
    const first = (this.first = reterms[0]);
    this.trailing = reterms.slice(1);
    this.offsets = [];
    let at = 0;
    for (const re of this.trailing) {
      this.offsets.push(at);
      at += re.q;
    }
    this.fixedAt = at;
    const size = at + p + 1;
    this.allDiagonal = this.trailing.every((re) => re.diagonal);
    this.D = new UniformBlockDiagonal(first.k, first.nLevels);
    this.size = size;
    this.diagonal = new Float64Array(size);
    this.corner = new Float64Array((p + 1) * (p + 1));
    this.lambdaDiagonal = new Float64Array(size).fill(1);
    this.scratch = new Float64Array(first.k * first.k);

    const columns = schurColumns(system, this.offsets, this.fixedAt);
    this.S = columns.S;
    this.sGather = columns.gathers;
    this.tGather = trailingGathers(system, this.offsets, this.fixedAt);
    this.rawS = new Float64Array(this.S.values.length);
    if (first.k === 1 && this.allDiagonal) this.groups = LevelGroups.worthIt((A[0][0] as UniformBlockDiagonal).data, this.S);
    if (this.groups) this.rawT = new Float64Array(size * size);
    this.responseChanged(0);
  }

  /**
   * The response in the blocked system changed: refresh what depends on it and not on θ (S's values
   * before scaling; with level groups, A₂₂ and the G_v). `fromRow` 0 recomputes everything.
   */
  responseChanged(fromRow = this.size - 1): void {
    for (const { source, src, dst } of this.sGather) for (let x = 0; x < src.length; x++) this.rawS[dst[x]] = source[src[x]];
    if (!this.groups) return;
    for (const { source, src, dst } of this.tGather) for (let x = 0; x < src.length; x++) this.rawT[dst[x]] = source[src[x]];
    this.groups.accumulate(this.S, this.rawS, this.rawT, fromRow);
  }

  /** Refactors for the templates Λ (one per ReMat, see `ThetaLayout.fill`); false when T is not positive definite. */
  update(templates: readonly Float64Array[]): boolean {
    this.templates = templates;
    this.lastFactor = null;
    this.firstScale = templates[0][0] * templates[0][0];
    const { first, D, S, size } = this;
    const ld = this.lambdaDiagonal;
    this.fillLambdaDiagonal();
    let L: Float64Array | null;
    if (this.groups) {
      // T = chol(Λ(A₂₂ − Σ_v w_v G_v)Λ + I_Z): D and S are not formed.
      L = choleskyAfterRankUpdate(size, this.fillGroupedInto, undefined, this.localT);
    } else {
      scaleInflate(D, this.system.A[0][0] as UniformBlockDiagonal, first, templates[0], this.scratch);
      if (!cholBlockDiagonal(D)) return false;
      this.fillS(ld);
      rdivSparseByBlockDiagonal(S, D);
      L = choleskyAfterRankUpdate(size, this.fillTInto, S, this.localT);
    }
    if (!L) return false;
    this.lastFactor = L;
    // Only the diagonal and the fixed-effects corner are read later; L may be scratch memory.
    for (let r = 0; r < size; r++) this.diagonal[r] = L[r * size + r];
    const m = size - this.fixedAt;
    for (let r = 0; r < m; r++) for (let c = 0; c <= r; c++) this.corner[r * m + c] = L[(this.fixedAt + r) * size + this.fixedAt + c];
    return true;
  }

  /**
   * D and S at the templates of the last update. The grouped path never forms them; the gradient
   * needs them, so they are formed here (D and S only: T is left as it is).
   */
  firstColumns(): { D: UniformBlockDiagonal; S: BlockSparse } {
    if (this.groups) {
      scaleInflate(this.D, this.system.A[0][0] as UniformBlockDiagonal, this.first, this.templates[0], this.scratch);
      cholBlockDiagonal(this.D);
      this.fillS(this.lambdaDiagonal);
      rdivSparseByBlockDiagonal(this.S, this.D);
    }
    return { D: this.D, S: this.S };
  }

  /** Λ(A₂₂ − Σ_v w_v G_v)Λ + I_Z into t (lower triangle). */
  private fillGrouped(t: Float64Array): void {
    const n = this.size, ld = this.lambdaDiagonal;
    this.groups!.complement(t, this.firstScale);
    for (let r = 0; r < n; r++) {
      const lr = ld[r], row = r * n;
      for (let c = 0; c <= r; c++) t[row + c] *= lr * ld[c];
    }
    for (let r = 0; r < this.fixedAt; r++) t[r * n + r] += 1;
  }

  private fillLambdaDiagonal(): void {
    const ld = this.lambdaDiagonal;
    for (let i = 0; i < this.trailing.length; i++) {
      const re = this.trailing[i];
      if (!re.diagonal) continue;
      const k = re.k, o = this.offsets[i], T = this.templates[i + 1];
      for (let l = 0; l < re.nLevels; l++) for (let c = 0; c < k; c++) ld[o + l * k + c] = T[c * k + c];
    }
  }

  /** S := Λ'A₂₁Λ₁ (before the division by D). */
  private fillS(ld: Float64Array): void {
    const v = this.S.values, k0 = this.first.k, rows = this.S.rowIdx, T0 = this.templates[0];
    v.set(this.rawS);
    if (this.allDiagonal && k0 === 1 && this.first.diagonal) {
      const t0 = T0[0];
      for (let x = 0; x < rows.length; x++) v[x] *= t0 * ld[rows[x]];
      return;
    }
    if (this.allDiagonal && k0 === 2) {
      // (1 + x | g) first: each entry's pair times Λ₁, scaled by its row's Λ.
      const l00 = T0[0], l10 = T0[2], l11 = T0[3];
      for (let x = 0; x < rows.length; x++) {
        const r = ld[rows[x]], v0 = v[2 * x], v1 = v[2 * x + 1];
        v[2 * x] = r * (v0 * l00 + v1 * l10);
        v[2 * x + 1] = r * v1 * l11;
      }
      return;
    }
    for (let x = 0; x < rows.length; x++) this.first.rmulLambda(T0, v, x * k0);
    if (this.allDiagonal) {
      for (let x = 0; x < rows.length; x++) for (let t = 0; t < k0; t++) v[x * k0 + t] *= ld[rows[x]];
      return;
    }
    // A level's rows of a later factor are consecutive in a column: Λ' mixes them in place.
    const colPtr = this.S.colPtr;
    for (let c = 0; c < this.S.blockCols; c++) {
      let x = colPtr[c];
      while (x < colPtr[c + 1]) {
        const term = this.termOf(rows[x]);
        if (term < 0) break;
        const re = this.trailing[term];
        if (re.diagonal) {
          for (let t = 0; t < k0; t++) v[x * k0 + t] *= ld[rows[x]];
          x++;
        } else {
          re.lmulLambdaT(this.templates[term + 1], v, x * k0, k0);
          x += re.k;
        }
      }
    }
  }

  /** T := Λ'A₂₂Λ + I_Z into t, lower triangle (the whole matrix when a trailing template is not diagonal). */
  private fillT(ld: Float64Array, t: Float64Array): void {
    const n = this.size;
    if (this.allDiagonal) {
      for (let r = 0; r < n; r++) t.fill(0, r * n, r * n + r + 1);
      for (const g of this.tGather) {
        const { source, src, dst, row, col } = g;
        for (let x = 0; x < src.length; x++) t[dst[x]] = source[src[x]] * ld[row[x]] * ld[col[x]];
      }
    } else {
      t.fill(0, 0, n * n);
      for (const g of this.tGather) {
        const { source, src, row, col } = g;
        for (let x = 0; x < src.length; x++) t[row[x] * n + col[x]] = t[col[x] * n + row[x]] = source[src[x]];
      }
      this.trailing.forEach((re, i) => {
        const k = re.k, o = this.offsets[i], T = this.templates[i + 1];
        for (let l = 0; l < re.nLevels; l++) re.lmulLambdaT(T, t, (o + l * k) * n, n);
        for (let r = 0; r < n; r++) for (let l = 0; l < re.nLevels; l++) re.rmulLambda(T, t, r * n + o + l * k);
      });
    }
    for (let r = 0; r < this.fixedAt; r++) t[r * n + r] += 1;
  }

  /** The trailing factor a row of T belongs to (−1 for the rows of X and y). */
  private termOf(row: number): number {
    if (row >= this.fixedAt) return -1;
    let i = this.offsets.length - 1;
    while (this.offsets[i] > row) i--;
    return i;
  }

  /** log det(L_Z)² = 2 Σ log diag over D and T's random-effects rows. */
  logdetZ(): number {
    const { D, diagonal } = this, k = D.k;
    let s = 0;
    if (this.groups) s = this.groups.logdet(this.firstScale) / 2;
    else for (let l = 0; l < D.blocks; l++) for (let r = 0; r < k; r++) s += Math.log(D.data[l * k * k + r * k + r]);
    for (let r = 0; r < this.fixedAt; r++) s += Math.log(diagonal[r]);
    return 2 * s;
  }

  /** log det(R_X)² = 2 Σ log diag over T's fixed-effects rows. */
  logdetX(): number {
    let s = 0;
    for (let r = this.fixedAt; r < this.size - 1; r++) s += Math.log(this.diagonal[r]);
    return 2 * s;
  }

  /** Penalised residual sum of squares: the square of T's last diagonal element. */
  pwrss(): number {
    const r = this.diagonal[this.size - 1];
    return r * r;
  }
}
