// The engine's façade for packages that refit: many responses on one design (fitEach, parametric
// bootstraps, harmonisation), and a model refitted with rows or clusters deleted from a warm start
// (case deletion, cross-validation). Everything else of the engine stays inside the core.
import type { DataColumns } from "../frame/data.js";
import type { LinearMixedModel, RandomEffects } from "../model/LinearMixedModel.js";
import { LinearMixedModel as Model } from "../model/LinearMixedModel.js";
import { sphericalModes, scaleModes } from "../model/modes.js";
import { structuredModes } from "../model/structured.js";
import { designBehind, ModelStructure } from "../model/structure.js";
import { evaluatorOf, stateOf } from "../model/state.js";
import { varCorrTerms, type VarCorrTerm } from "../model/varcorr.js";
import { buildLmmDesign, type LmmDesign } from "./design.js";
import { estimatesAt, type Estimates } from "./estimates.js";
import { settle, type FitOptions } from "./fit.js";
import { Fitter } from "./Fitter.js";
import { optimiseTheta, type OptimiseOptions, type OptimisationInfo } from "./optimise.js";

/** The numbers of one fit without the model object: what fitting thousands of responses keeps. */
export interface FitSummary {
  theta: Float64Array;
  beta: Float64Array;
  /** Standard errors of β̂. */
  se: Float64Array;
  sigma: number;
  objective: number;
  logLik: number;
  AIC: number;
  BIC: number;
  varcorr: VarCorrTerm[];
  singular: boolean;
  /** The optimiser's own convergence test (derivative checks are not run on this path). */
  converged: boolean;
  evaluations: number;
}

function summaryOf(design: LmmDesign, e: Estimates, info: OptimisationInfo): FitSummary {
  return {
    theta: e.theta,
    beta: e.beta,
    se: e.se,
    sigma: e.sigma,
    objective: e.objective,
    logLik: e.logLik,
    AIC: e.AIC,
    BIC: e.BIC,
    varcorr: varCorrTerms(design.theta, e.theta, e.sigma),
    singular: e.singular,
    converged: info.converged,
    evaluations: info.evaluations,
  };
}

/**
 * Many responses fitted on one design: the frame, the model matrices, Z'Z and its patterns and one
 * workspace are built once; each fit replaces only the response's row of the cross-products. Each
 * fit equals a separate `lmm` of that response (the same numbers, bit for bit).
 *
 * @example
 * ```ts
 * const fits = ResponseFits.build("f1 ~ 1 + (1 | patient) + (1 | batch)", data);
 * const results = features.map((y) => fits.fit(y));
 * ```
 */
export class ResponseFits {
  /** The rows, grouping factors and matrices shared by every fit. */
  readonly structure: ModelStructure;
  private readonly fitter: Fitter;

  private constructor(
    private readonly design: LmmDesign,
    y: Float64Array,
    readonly reml: boolean,
  ) {
    this.structure = new ModelStructure(design);
    this.fitter = new Fitter(design, y, reml);
  }

  /** The design of `formula` on `data` (its response column only places the rows: missing values drop rows). */
  static build(formula: string, data: DataColumns, options: FitOptions = {}): ResponseFits {
    const design = buildLmmDesign(formula, data, options);
    return new ResponseFits(design, design.frame.y!, options.reml ?? true);
  }

  /** The design of a structure (a fitted model's, or one of `fitEach`'s), by REML or ML; the response starts as the design's own. */
  static on(structure: ModelStructure, reml: boolean): ResponseFits {
    const design = designBehind(structure);
    return new ResponseFits(design, design.frame.y ?? new Float64Array(design.frame.n), reml);
  }

  /** The design of a fitted model (its rows, coding and REML or ML). */
  static of(model: LinearMixedModel): ResponseFits {
    return new ResponseFits(stateOf(model).design, model.response, model.reml);
  }

  /** Fixed-effect names, in β's order. */
  get fixefNames(): string[] {
    return this.design.X.names.slice();
  }

  /** Fits one response over the design's rows (`structure.nobs` values); lme4's start unless `start` is given. */
  fit(y: Float64Array, options: OptimiseOptions = {}): FitSummary {
    this.fitter.setResponse(y);
    const { theta, info } = optimiseTheta(this.fitter, options);
    return summaryOf(this.design, estimatesAt(this.fitter, theta), info);
  }

  /**
   * A model of its own for response `y` at a fit's θ̂ (one factorisation, no optimisation): for
   * what a summary does not hold (Satterthwaite df, simulation, modes, residuals).
   */
  model(y: Float64Array, fit: Pick<FitSummary, "theta" | "converged" | "evaluations">, reason = ""): LinearMixedModel {
    const info: OptimisationInfo = { optimizer: "bobyqa", evaluations: fit.evaluations, converged: fit.converged, reason };
    return new Model(settle(new Fitter(this.design, y, this.reml), Float64Array.from(fit.theta), info, { checkConvergence: false }));
  }

  /** The conditional modes of response `y` at θ (as `ranef()`), without building a model. */
  modes(y: Float64Array, theta: ArrayLike<number>): RandomEffects[] {
    const { fitter, design } = this;
    fitter.setResponse(y);
    fitter.factorAt(theta);
    const beta = fitter.beta();
    const b = scaleModes(design.reterms, design.theta.templates(theta), sphericalModes(fitter.system, beta));
    return design.reterms.map((re, j) => {
      if (re.structure) return { group: re.groupLabel, terms: ["(Intercept)"], levels: re.structure.ids, values: structuredModes(re.structure, b[j]) };
      return { group: re.groupLabel, terms: re.columnNames, levels: re.levels, values: b[j] };
    });
  }
}

/**
 * The profiled criterion of a fitted model as a function of θ (for derivatives at θ̂, warm-start
 * Hessians): evaluated on a workspace of its own, so the model's factor stays at θ̂.
 */
export function criterionOf(model: LinearMixedModel): (theta: ArrayLike<number>) => number {
  const fitter = evaluatorOf(model);
  return (theta) => fitter.evaluate(theta);
}

/**
 * A refit on some rows of a model's data (the columns it reads, coded as the full fit coded them:
 * see `ModelStructure.refitRecipe`): the design of those rows and its workspace, optimised from a
 * warm start by the caller's choice of method.
 *
 * @example
 * ```ts
 * const r = new RowsRefit(formula, columnsWithoutSite3, { ...recipeOptions, levels }, true);
 * const { theta, info } = r.optimise({ start: model.theta });
 * r.estimates(theta).beta;
 * ```
 */
export class RowsRefit {
  private readonly fitter: Fitter;
  private readonly design: LmmDesign;

  constructor(formula: string, data: DataColumns, options: FitOptions, reml: boolean) {
    this.design = buildLmmDesign(formula, data, options);
    this.fitter = new Fitter(this.design, this.design.frame.y!, reml);
  }

  /** Fixed-effect names of this refit (aliased columns can differ from the full fit's). */
  get fixefNames(): string[] {
    return this.design.X.names;
  }
  /** θ's lower bounds. */
  get thetaLower(): Float64Array {
    return this.design.theta.lower;
  }
  /** Criterion evaluations so far. */
  get evaluations(): number {
    return this.fitter.evaluations;
  }

  /** The criterion at θ (the optimiser's factor). */
  evaluate(theta: ArrayLike<number>): number {
    return this.fitter.evaluate(theta);
  }

  /** BOBYQA from `options.start` (default lme4's start). */
  optimise(options: OptimiseOptions = {}): { theta: Float64Array; info: OptimisationInfo } {
    return optimiseTheta(this.fitter, options);
  }

  /** The numbers at θ, read off the optimiser's factor (the cheapest: no blocked factor is formed). */
  estimates(theta: ArrayLike<number>): Estimates {
    return estimatesAt(this.fitter, theta, "evaluated");
  }

  /** Variance components at θ. */
  varCorr(theta: ArrayLike<number>, sigma: number): VarCorrTerm[] {
    return varCorrTerms(this.design.theta, theta, sigma);
  }

  /** The refit as a model (for predictions of held-out rows): takes over this workspace. */
  model(theta: Float64Array, info: OptimisationInfo): LinearMixedModel {
    return new Model(settle(this.fitter, theta, info, { checkConvergence: false }));
  }
}
