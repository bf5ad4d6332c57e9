// @lmm/core/aggregate: fits from sums computed next to the data. `modelVariables` says what a
// formula reads, `planAggregation` how each model-matrix column is made (the column algebra an SQL
// generator renders), `fitAggregated` fits from the sums per cell of the grouping columns.
export { classifyTerms, modelVariables, planAggregation, plannedColumns, type AggregationPlan, type Atom, type ColumnKind, type ModelVariables, type PlannedColumn, type PlanOptions, type VariableOptions } from "./plan.js";
export { fitAggregated, keepFitSums, productPairs, type AggregatedCells, type AggregatedFit, type AggregatedFitOptions } from "./fit.js";
export { factorLevels } from "./levels.js";
export { anovaAggregated, refitAggregatedML, type AggregatedLikelihoodRatioTest } from "./anova.js";
export { confintAggregated, profileAggregated, type AggregatedConfintOptions } from "./profile.js";
export { aggregatedVariances, type AggregatedVariances } from "./variance.js";
// What the SQL learning pass needs of the bases: where the knots are among the order statistics, and the splines as polynomials.
export { knotRanks, knotsFromOrderStatistics, type SplineKnots, type SplineOptions } from "../frame/basis/splines.js";
export { splinePieces, type PolynomialPiece, type SplinePieces } from "../frame/basis/pieces.js";
export type { PolyCoefs } from "../frame/basis/poly.js";
export type { ScaleCoefs } from "../frame/basis/scale.js";
export { coefficientsAggregated, contrastTestAggregated, fTestAggregated, kenwardRogerAggregated, marginalInputsOfSums, satterthwaiteAggregated, type AggregatedTestOptions } from "./tests.js";
export { anovaTypeIIIAggregated, typeIIIContrastsAggregated } from "./typeIII.js";
export { bootstrapAggregated, bootstrapSimulator, cellLaws, drawCellSums, type CellLaw } from "./bootstrap.js";
