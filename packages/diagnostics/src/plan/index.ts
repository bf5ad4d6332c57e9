export { plan, type AnalysisPlan } from "./plan.js";
export { run, type AnalysisReport, type DiagnosticResult, type HypothesisResult, type RunPlanOptions } from "./run.js";
export { DIAGNOSTIC_NAMES, type DiagnosticName, type DiagnosticSpec, type PlannedDiagnostic, type PlanSpec, type NormalisedPlan, type ContrastSpec, type HypothesisSpec } from "./spec.js";
export { canonicalJson } from "./canonicalJson.js";
export { dataFingerprint } from "./dataFingerprint.js";
export { sha256Hex } from "./sha256.js";
export { UnknownDiagnosticError, PlanFieldError, PlanDataError, PlanIntegrityError } from "./errors.js";
