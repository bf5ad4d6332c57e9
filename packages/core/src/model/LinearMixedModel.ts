import type { DroppedRows } from "../frame/ModelFrame.js";
import type { DataColumns } from "../frame/data.js";
import { conditionalCovariances } from "./condVar.js";
import type { ConvergenceCheck } from "../engine/convergence.js";
import type { FitWarning } from "../engine/design.js";
import type { Estimates } from "../engine/estimates.js";
import { fitDesign, type FitOptions, type FittedState } from "../engine/fit.js";
import type { OptimisationInfo } from "../engine/optimise.js";
import { optimizerInfo, type OptimizerInfo } from "./optimizerInfo.js";
import { hatValues } from "./hat.js";
import { linearPredictor, scaleModes, sphericalModes } from "./modes.js";
import { predictNew, type PredictOptions } from "./predict.js";
import { simulateResponses, type SimulateOptions } from "./simulate.js";
import { varCorrTerms, type VarCorrTerm } from "./varcorr.js";
import { InvalidArgumentError } from "../errors/LmmError.js";
import { modelToJson, type ModelJson } from "./json.js";
import { structuredModes, structuredVariances } from "./structured.js";
import { summaryText, type SummaryColumns } from "./summary.js";
import { ModelStructure } from "./structure.js";
import { keepState } from "./state.js";
import { dispersionOf, type ModelDispersion } from "../engine/dispersion.js";

export type { ModelDispersion };

export type { OptimisationInfo };

/** One fixed effect with its Wald statistics. */
export interface FixedEffect {
  name: string;
  estimate: number;
  stdError: number;
  tValue: number;
}

/** Conditional modes of every term on one grouping factor, as lme4's `ranef()` gives them. */
export interface RandomEffects {
  group: string;
  /** Column names (`(Intercept)`, `Days` …). */
  terms: string[];
  levels: string[];
  /** Level-major values: `values[l * terms.length + c]`. */
  values: Float64Array;
}

/**
 * A fitted linear mixed model. Created by {@link lmm} (or `refit`); read-only.
 *
 * @example
 * ```ts
 * const m = lmm("Reaction ~ Days + (Days | Subject)", sleepstudy);
 * m.fixef(); m.sigma; m.varCorr(); console.log(m.summary());
 * ```
 */
export class LinearMixedModel {
  readonly reml: boolean;
  readonly theta: Float64Array;
  readonly beta: Float64Array;
  readonly sigma: number;
  /** The optimised criterion: REML criterion for REML fits, deviance for ML fits. */
  readonly objective: number;
  readonly optimisation: OptimisationInfo;
  readonly convergence: ConvergenceCheck | null;
  readonly warnings: FitWarning[];
  /** The rows, grouping factors, variables and matrices of the fit, read-only. */
  readonly structure: ModelStructure;
  /** The numbers at θ̂, computed once by the engine. */
  private readonly estimates: Estimates;
  /** Λ at θ̂, one template per grouping factor: this model's own (the design holds none). */
  private readonly lambda: Float64Array[];
  /** Conditional modes b = Λu per grouping factor. */
  private readonly b: Float64Array[];
  private readonly state: FittedState;

  /** Models are made by {@link lmm}, `refit` and the engine; the state is the engine's. */
  constructor(state: FittedState) {
    const { design, fitter, estimates, optimisation, convergence } = state;
    this.state = state;
    keepState(this, state);
    this.structure = new ModelStructure(design);
    this.estimates = estimates;
    this.reml = fitter.reml;
    this.theta = estimates.theta;
    this.optimisation = optimisation;
    this.convergence = convergence;
    this.objective = estimates.objective;
    this.beta = estimates.beta;
    this.sigma = estimates.sigma;
    this.lambda = design.theta.templates(this.theta);
    this.b = scaleModes(design.reterms, this.lambda, sphericalModes(fitter.system, this.beta));
    this.warnings = [...design.warnings, ...(convergence?.warnings ?? [])];
    if (this.isSingular) this.warnings.push({ code: "SINGULAR", message: "boundary (singular) fit: see help('isSingular')" });
    if (!optimisation.converged) this.warnings.push({ code: "OPTIMIZER", message: `the optimiser stopped before converging: ${optimisation.reason}` });
  }

  private get design() {
    return this.state.design;
  }
  /** The factor at θ̂ (this model's own fitter, never evaluated elsewhere). */
  private get system() {
    return this.state.fitter.system;
  }

  /** The formula as given. */
  get formula(): string {
    return this.design.formula;
  }
  /** Number of observations used. */
  get nobs(): number {
    return this.design.frame.n;
  }
  /** Rows left out for missing values. */
  get droppedRows(): DroppedRows {
    return this.design.frame.dropped;
  }
  /** Names of aliased fixed-effect columns that were dropped. */
  get droppedColumns(): string[] {
    return this.design.droppedColumns;
  }
  /** Fixed-effect names in order. */
  get fixefNames(): string[] {
    return this.design.X.names;
  }
  /** lme4's θ names (`Subject.(Intercept)`, `Subject.Days.(Intercept)` …). */
  get thetaNames(): string[] {
    return this.design.theta.names;
  }
  /** Evaluations, Newton polish steps and the convergence check's max|grad| (names as lme4's `optinfo`). */
  get optimizer(): OptimizerInfo {
    return optimizerInfo(this);
  }
  /** True when a diagonal element of θ is below 1e-4 (lme4's `isSingular`). */
  get isSingular(): boolean {
    return this.estimates.singular;
  }
  /** Number of parameters: fixed effects, θ and σ. */
  get dof(): number {
    return this.estimates.dof;
  }
  /** Log-likelihood (the REML log-likelihood for REML fits, as lme4 reports). */
  get logLik(): number {
    return this.estimates.logLik;
  }
  get AIC(): number {
    return this.estimates.AIC;
  }
  get BIC(): number {
    return this.estimates.BIC;
  }
  /** The REML criterion at convergence (NaN for ML fits). */
  get REMLcrit(): number {
    return this.reml ? this.objective : NaN;
  }
  /** −2 × ML log-likelihood at the estimates (for ML fits, the objective). */
  get deviance(): number {
    return this.estimates.deviance;
  }

  /**
   * The residual sd of each level of the dispersion factor (null without a dispersion formula);
   * `sigma` and `varCorr().residual` are the reference level's.
   */
  get dispersion(): ModelDispersion | null {
    return dispersionOf(this.design, this.estimates.delta, this.sigma);
  }

  /** Number of levels of each grouping factor, in lme4's order. */
  ngroups(): { group: string; levels: number }[] {
    return this.design.reterms.map((r) => ({ group: r.groupLabel, levels: r.structure ? r.structure.ids.length : r.nLevels }));
  }

  /** σ² (R_X'R_X)⁻¹: the covariance of β̂, row-major p × p. */
  vcov(): Float64Array {
    const s2 = this.sigma * this.sigma;
    return this.estimates.vcovUnscaled.map((v) => v * s2);
  }

  /** Fixed effects with standard errors and t values. */
  fixef(): FixedEffect[] {
    const v = this.vcov();
    const p = this.beta.length;
    return this.fixefNames.map((name, j) => {
      const se = Math.sqrt(v[j * p + j]);
      return { name, estimate: this.beta[j], stdError: se, tValue: this.beta[j] / se };
    });
  }

  /** Conditional modes per grouping factor (all terms on a factor together, as lme4). */
  ranef(): RandomEffects[] {
    return this.design.reterms.map((re, j) => {
      if (re.structure) return { group: re.groupLabel, terms: ["(Intercept)"], levels: re.structure.ids, values: structuredModes(re.structure, this.b[j]) };
      return { group: re.groupLabel, terms: re.columnNames, levels: re.levels, values: this.b[j].slice() };
    });
  }

  /**
   * Conditional covariance matrices of the random effects (lme4's `condVar`), one list per
   * lme4 term on grouping factor `group`, for the given levels (default all). Blocks are row-major.
   */
  condVar(group: string, levels?: ArrayLike<number>): { terms: string[]; blocks: Float64Array[] }[] {
    const j = this.design.reterms.findIndex((r) => r.groupLabel === group);
    if (j < 0) throw new RangeError(`no grouping factor ${JSON.stringify(group)}`);
    const re = this.design.reterms[j];
    if (re.structure) {
      const M = conditionalCovariances(this.system, j, this.lambda[j], this.sigma * this.sigma, [0])[0];
      const diag = structuredVariances(re.structure, M);
      const which = levels ?? Int32Array.from(diag, (_, i) => i);
      return [{ terms: ["(Intercept)"], blocks: Array.from(which, (l) => Float64Array.of(diag[l])) }];
    }
    const which = levels ?? Int32Array.from({ length: re.nLevels }, (_, i) => i);
    const full = conditionalCovariances(this.system, j, this.lambda[j], this.sigma * this.sigma, which);
    return re.terms.map((t) => ({
      terms: re.columnNames.slice(t.offset, t.offset + t.k),
      blocks: full.map((M) => {
        const out = new Float64Array(t.k * t.k);
        for (let r = 0; r < t.k; r++) for (let c = 0; c < t.k; c++) out[r * t.k + c] = M[(t.offset + r) * re.k + t.offset + c];
        return out;
      }),
    }));
  }

  /** Conditional standard deviations per level (level-major like `ranef().values`) of factor `group`. */
  condSd(group: string, levels?: ArrayLike<number>): Float64Array {
    const parts = this.condVar(group, levels);
    const k = parts.reduce((s, p) => s + p.terms.length, 0);
    const count = parts[0].blocks.length;
    const out = new Float64Array(count * k);
    let offset = 0;
    for (const part of parts) {
      const kt = part.terms.length;
      part.blocks.forEach((B, l) => {
        for (let c = 0; c < kt; c++) out[l * k + offset + c] = Math.sqrt(B[c * kt + c]);
      });
      offset += kt;
    }
    return out;
  }

  /** Variance components per term, in lme4's order, and the residual sd. */
  varCorr(): { terms: VarCorrTerm[]; residual: { sd: number; variance: number } } {
    return { terms: varCorrTerms(this.design.theta, this.theta, this.sigma), residual: { sd: this.sigma, variance: this.sigma * this.sigma } };
  }

  /** Fitted values over the rows used: offset + Xβ̂ + Zb̃ (or offset + Xβ̂ with `{ re: false }`). */
  fitted(options: { re?: boolean } = {}): Float64Array {
    const mu = linearPredictor(this.design, this.beta, options.re === false ? null : this.b);
    const offset = this.design.offset;
    if (offset) for (let i = 0; i < mu.length; i++) mu[i] += offset[i];
    return mu;
  }

  /**
   * Residuals y − fitted, as lme4's `residuals()`: `"response"` (default) or `"pearson"`
   * (√wᵢ (yᵢ − fittedᵢ) with prior weights; the same without); `{ scaled: true }` divides by σ̂
   * (lme4's `scaled = TRUE`, the "Scaled residuals" of the summary).
   */
  residuals(type: "response" | "pearson" = "response", options: { scaled?: boolean } = {}): Float64Array {
    const mu = this.fitted();
    const y = this.response;
    const scale = options.scaled ? this.sigma : 1;
    const w = type === "pearson" ? this.design.weights : null;
    if (w) return mu.map((m, i) => (Math.sqrt(w[i]) * (y[i] - m)) / scale);
    return mu.map((m, i) => (y[i] - m) / scale);
  }

  /** Diagonal of the hat matrix at the given frame rows (default all); with prior weights, as lme4: W^½ [ZΛ X] C⁻¹ [ZΛ X]' W^½. */
  hatvalues(rows?: ArrayLike<number>): Float64Array {
    const h = hatValues(this.design, this.system, this.lambda, rows);
    const w = this.design.weights;
    if (w) {
      const which = rows ?? Int32Array.from(h, (_, i) => i);
      for (let k = 0; k < h.length; k++) h[k] *= w[which[k]];
    }
    return h;
  }

  /** Predictions for new data; see {@link PredictOptions}. */
  predict(newdata: DataColumns, options: PredictOptions = {}): Float64Array {
    const byLevel = this.design.reterms.map((re, j) => (re.structure ? structuredModes(re.structure, this.b[j]) : this.b[j]));
    return predictNew(this.design, this.beta, byLevel, newdata, options);
  }

  /** `nsim` responses simulated from the fitted model (seeded). */
  simulate(nsim = 1, options: SimulateOptions = {}): Float64Array[] {
    return simulateResponses(this.design, this.lambda, this.beta, this.sigma, nsim, options);
  }

  /**
   * Fits the same design to a new response, reusing everything that does not depend on it
   * (frame, model matrices, Z'Z and its pattern); the optimiser starts from this fit's θ unless
   * `options.start` says otherwise. `y` has one value per row used (`nobs`) or per data row.
   *
   * @example
   * ```ts
   * const m2 = m.refit(otherFeature);
   * ```
   */
  refit(y: ArrayLike<number>, options: FitOptions = {}): LinearMixedModel {
    const { frame } = this.design;
    let response: Float64Array;
    if (y.length === frame.n) response = Float64Array.from(y);
    else if (y.length === frame.nRows) response = Float64Array.from(frame.rows, (r) => y[r]);
    else throw new InvalidArgumentError("response", `${y.length} values`, `${frame.n} (rows used) or ${frame.nRows} (data rows) values`);
    const bad = response.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new InvalidArgumentError(`response at used row ${bad + 1}`, response[bad], "a finite number (refit keeps the rows of the original fit)");
    return new LinearMixedModel(fitDesign(this.design, response, { reml: this.reml, start: this.theta, ...options }));
  }

  /**
   * lme4-style summary text. `extra` adds columns to the fixed-effects table (the inference
   * functions pass df and p-values this way).
   */
  summary(extra: SummaryColumns[] = []): string {
    return summaryText(this, extra);
  }

  /** The fit as plain JSON data (the `lmm fit --json` contract). */
  toJSON(): ModelJson {
    return modelToJson(this);
  }

  /** The response the model was fitted to, over the rows used. */
  get response(): Float64Array {
    return this.state.fitter.y;
  }
}
