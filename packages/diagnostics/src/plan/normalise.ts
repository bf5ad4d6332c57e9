import { expandFormula, parseFormula } from "@lmm/core";
import { PlanFieldError, UnknownDiagnosticError } from "./errors.js";
import { DIAGNOSTIC_NAMES, type DiagnosticName, type NormalisedPlan, type PlanSpec, type PlannedDiagnostic } from "./spec.js";

const PLAN_KEYS = ["formula", "reml", "optimizer", "diagnostics", "missing", "contrasts", "hypotheses", "ddf", "alpha"];
const DDF_METHODS = ["satterthwaite", "kenward-roger", "residual"];
const DIAGNOSTIC_KEYS: Record<DiagnosticName, string[]> = {
  residuals: [],
  residualTrend: ["against", "residuals"],
  qq: ["nsim", "seed", "level", "residuals"],
  observationInfluence: [],
  influence: ["group", "start"],
  loso: ["group", "partialPooling", "predictWith"],
  shrinkage: ["group"],
};

/** Validates a plan as written and fills in every default; throws a typed error naming the field. */
export function normalisePlan(spec: PlanSpec): NormalisedPlan {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) throw new PlanFieldError("(plan)", spec, "an object");
  checkKeys(spec as object, PLAN_KEYS, "");
  if (typeof spec.formula !== "string" || spec.formula.trim() === "") throw new PlanFieldError("formula", spec.formula, "an lme4 formula string");
  // Syntax and term errors surface here, typed by @lmm/core.
  expandFormula(parseFormula(spec.formula));
  const reml = optional(spec.reml, true, "reml", (v) => typeof v === "boolean", "true or false");
  const optimizer = optional(spec.optimizer, "bobyqa", "optimizer", (v) => v === "bobyqa", '"bobyqa"');
  const missing = optional(spec.missing, "omit", "missing", (v) => v === "omit" || v === "fail", '"omit" or "fail"');
  const ddf = optional(spec.ddf, "satterthwaite", "ddf", (v) => DDF_METHODS.includes(v as string), '"satterthwaite", "kenward-roger" or "residual"');
  const alpha = optional(spec.alpha, 0.05, "alpha", (v) => typeof v === "number" && v > 0 && v < 1, "a number between 0 and 1");
  const diagnostics = optional(spec.diagnostics, [], "diagnostics", Array.isArray, "an array").map((d, i) => normaliseDiagnostic(d, `diagnostics[${i}]`));
  // Column and coefficient names are data (a column may be called "__proto__"): prototype-free records.
  const contrasts: NormalisedPlan["contrasts"] = Object.create(null);
  const given = optional(spec.contrasts, {}, "contrasts", isRecord, "an object of column → contrast");
  for (const column of Object.keys(given).sort()) {
    const c = given[column] as unknown;
    const field = `contrasts.${column}`;
    if (c === "treatment") contrasts[column] = { type: "treatment", reference: null };
    else if (isRecord(c) && c.type === "treatment") {
      checkKeys(c, ["type", "reference"], field);
      const reference = c.reference ?? null;
      if (reference !== null && typeof reference !== "string") throw new PlanFieldError(`${field}.reference`, reference, "a level label");
      contrasts[column] = { type: "treatment", reference };
    } else throw new PlanFieldError(field, c, '"treatment" or { type: "treatment", reference } (only treatment contrasts are implemented)');
  }
  const hypotheses = optional(spec.hypotheses, [], "hypotheses", Array.isArray, "an array").map((h, i) => {
    const field = `hypotheses[${i}]`;
    if (!isRecord(h)) throw new PlanFieldError(field, h, "{ name, coefficients, rhs? }");
    checkKeys(h, ["name", "coefficients", "rhs"], field);
    if (typeof h.name !== "string" || h.name === "") throw new PlanFieldError(`${field}.name`, h.name, "a name");
    if (!isRecord(h.coefficients) || Object.keys(h.coefficients).length === 0) throw new PlanFieldError(`${field}.coefficients`, h.coefficients, "an object of fixed-effect name → weight");
    const coefficients: Record<string, number> = Object.create(null);
    for (const name of Object.keys(h.coefficients).sort()) {
      const w = h.coefficients[name];
      if (typeof w !== "number" || !Number.isFinite(w)) throw new PlanFieldError(`${field}.coefficients.${name}`, w, "a finite number");
      coefficients[name] = w;
    }
    const rhs = optional(h.rhs as number | undefined, 0, `${field}.rhs`, (v) => typeof v === "number" && Number.isFinite(v), "a finite number");
    return { name: h.name, coefficients, rhs };
  });
  return { schema: "lmm-analysis-plan/2", formula: spec.formula, reml, optimizer, diagnostics, missing, contrasts, hypotheses, ddf, alpha };
}

function normaliseDiagnostic(d: unknown, field: string): PlannedDiagnostic {
  const name = typeof d === "string" ? d : isRecord(d) ? d.name : undefined;
  if (typeof name !== "string") throw new PlanFieldError(field, d, 'a diagnostic name or an object with a "name"');
  if (!(DIAGNOSTIC_NAMES as readonly string[]).includes(name)) throw new UnknownDiagnosticError(name, [...DIAGNOSTIC_NAMES]);
  const o: Record<string, unknown> = isRecord(d) ? d : {};
  checkKeys(o, ["name", ...DIAGNOSTIC_KEYS[name as DiagnosticName]], field);
  const group = () => {
    if (typeof o.group !== "string" || o.group === "") throw new PlanFieldError(`${field}.group`, o.group, "the name of a grouping factor or column");
    return o.group;
  };
  const pick = <T>(key: string, fallback: T, ok: (v: unknown) => boolean, expected: string): T => optional(o[key] as T | undefined, fallback, `${field}.${key}`, ok, expected);
  switch (name as DiagnosticName) {
    case "residuals":
      return { name: "residuals" };
    case "observationInfluence":
      return { name: "observationInfluence" };
    case "residualTrend": {
      if (typeof o.against !== "string" || o.against === "") throw new PlanFieldError(`${field}.against`, o.against, '"fitted" or a column name');
      const residuals = pick("residuals", "pearson" as const, (v) => ["pearson", "studentised", "response", "marginal"].includes(v as string), '"pearson", "studentised", "response" or "marginal"');
      return { name: "residualTrend", against: o.against, residuals };
    }
    case "qq":
      return {
        name: "qq",
        nsim: pick("nsim", 99, (v) => Number.isInteger(v) && (v as number) >= 0, "a whole number ≥ 0"),
        seed: pick("seed", 1, (v) => Number.isInteger(v), "a whole number"),
        level: pick("level", 0.95, (v) => typeof v === "number" && v > 0 && v < 1, "a number between 0 and 1"),
        residuals: pick("residuals", "pearson" as const, (v) => ["pearson", "studentised", "pearsonMarginal"].includes(v as string), '"pearson", "studentised" or "pearsonMarginal"'),
      };
    case "influence":
      return { name: "influence", group: group(), start: pick("start", "warm" as const, (v) => v === "warm" || v === "cold", '"warm" or "cold"') };
    case "loso": {
      const partialPooling = pick<{ k: number } | null>("partialPooling", null, (v) => v === null || (isRecord(v) && Number.isInteger(v.k) && (v.k as number) >= 1 && Object.keys(v).length === 1), "null or { k } with k a whole number ≥ 1");
      const predictWith = pick("predictWith", "population" as const, (v) => v === "population" || v === "otherLevels", '"population" or "otherLevels"');
      return { name: "loso", group: group(), partialPooling: partialPooling && { k: partialPooling.k }, predictWith };
    }
    case "shrinkage":
      return { name: "shrinkage", group: group() };
  }
}

function optional<T>(value: T | undefined, fallback: T, field: string, ok: (v: unknown) => boolean, expected: string): T {
  if (value === undefined) return fallback;
  if (!ok(value)) throw new PlanFieldError(field, value, expected);
  return value;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkKeys(o: object, allowed: string[], field: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) throw new PlanFieldError(field ? `${field}.${key}` : key, (o as Record<string, unknown>)[key], `one of the fields ${allowed.join(", ")} (unknown field)`);
  }
}
