import { coefficients, confint, InvalidArgumentError, type ConfidenceInterval, type DdfMethod, type LinearMixedModel } from "@lmm/core";
import { qnorm } from "@lmm/core/numerics";
import type { ColumnTable } from "arquero";
import { rowsToTable, TIDY_COLUMNS, TIDY_NUMERIC, type TidyRow } from "./columns.js";
import { ranPars, type RanParsScale } from "./ranpars.js";

/** Which parameters `tidy` reports, as broom.mixed names them. */
export type TidyEffect = "fixed" | "ran_pars" | "ran_vals";

/** Confidence intervals in `tidy`: the core's `confint` methods. */
export interface TidyConf {
  /** Coverage (default 0.95). */
  level?: number;
  /** `"wald"` (default; fixed effects only, as broom.mixed), `"profile"` or `"boot"` (also random-effect parameters). */
  method?: "wald" | "profile" | "boot";
}

/** Options of {@link tidy}. */
export interface TidyOptions {
  /** Default `["fixed", "ran_pars"]`, broom.mixed's default. */
  effects?: TidyEffect | readonly TidyEffect[];
  /** Add `conf.low` / `conf.high` (true = 95 % Wald). Without it those columns are NaN. */
  conf?: boolean | TidyConf;
  /** Denominator df of the fixed effects' t tests; default: the core's `coefficients` default (Satterthwaite, as lmerTest). */
  ddf?: DdfMethod;
  /** Random-effect parameters as sd and correlation (`"sdcor"`, default) or variance and covariance (`"vcov"`). */
  scales?: RanParsScale;
}

const EFFECTS: readonly TidyEffect[] = ["fixed", "ran_pars", "ran_vals"];

/**
 * The model's parameters as a tidy Arquero table with broom.mixed's columns (`effect, group,
 * level, term, estimate, std.error, statistic, df, p.value, conf.low, conf.high`), one row per
 * parameter; absent values are NaN (numbers) or null (strings). Fixed effects carry df and
 * p-values from the core's `coefficients(model, { ddf })` and intervals from `confint`;
 * `ran_pars` are `sd__(Intercept)`, `cor__(Intercept).Days` … per lme4 term and
 * `Residual sd__Observation` (with a dispersion formula σ of the reference level, then one row
 * per level: group `Residual`, `level` the level, term `sd__<level>`, its residual sd); `ran_vals` are the conditional modes with their conditional sds
 * (intervals estimate ± z·sd, as broom.mixed).
 *
 * @example
 * ```ts
 * const t = tidy(model, { effects: ["fixed", "ran_pars"], conf: { level: 0.9 }, ddf: "residual" });
 * t.objects(); // [{ effect: "fixed", term: "(Intercept)", estimate: …, "p.value": … }, …]
 * ```
 */
export function tidy(model: LinearMixedModel, options: TidyOptions = {}): ColumnTable {
  const effects = effectList(options.effects);
  const conf = confOptions(options.conf);
  const intervals = conf && (effects.includes("fixed") || effects.includes("ran_pars")) ? confintMap(confint(model, conf)) : null;
  const rows: TidyRow[] = [];
  for (const effect of effects) {
    if (effect === "fixed") rows.push(...fixedRows(model, options.ddf, intervals));
    else if (effect === "ran_pars") rows.push(...ranParRows(model, options.scales, intervals));
    else rows.push(...ranValRows(model, conf ? conf.level : null));
  }
  return rowsToTable(rows, TIDY_COLUMNS, TIDY_NUMERIC);
}

function effectList(effects: TidyOptions["effects"]): TidyEffect[] {
  const list = effects === undefined ? ["fixed", "ran_pars"] : typeof effects === "string" ? [effects] : [...effects];
  for (const e of list) if (!EFFECTS.includes(e as TidyEffect)) throw new InvalidArgumentError("effects", e, '"fixed", "ran_pars" or "ran_vals"');
  return list as TidyEffect[];
}

function confOptions(conf: TidyOptions["conf"]): { level: number; method: "wald" | "profile" | "boot" } | null {
  if (conf === undefined || conf === false) return null;
  const c = conf === true ? {} : conf;
  const level = c.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InvalidArgumentError("conf.level", level, "a number between 0 and 1");
  return { level, method: c.method ?? "wald" };
}

function confintMap(rows: ConfidenceInterval[]): Map<string, ConfidenceInterval> {
  return new Map(rows.map((r) => [r.parameter, r]));
}

function fixedRows(model: LinearMixedModel, ddf: DdfMethod | undefined, intervals: Map<string, ConfidenceInterval> | null): TidyRow[] {
  const coefs = coefficients(model, ddf === undefined ? {} : { ddf });
  return coefs.map((c) => {
    const ci = intervals?.get(c.name);
    return {
      effect: "fixed", group: null, level: null, term: c.name, estimate: c.estimate,
      "std.error": c.stdError, statistic: c.statistic, df: c.df, "p.value": c.pValue,
      "conf.low": ci?.lower ?? null, "conf.high": ci?.upper ?? null,
    };
  });
}

function ranParRows(model: LinearMixedModel, scales: RanParsScale | undefined, intervals: Map<string, ConfidenceInterval> | null): TidyRow[] {
  if (scales !== undefined && scales !== "sdcor" && scales !== "vcov") throw new InvalidArgumentError("scales", scales, '"sdcor" or "vcov"');
  const vc = model.varCorr();
  return ranPars(vc.terms, vc.residual.sd, scales, model.dispersion).map((p) => {
    const ci = intervals?.get(p.confintName);
    const map = ci && p.fromConfint;
    return {
      effect: "ran_pars", group: p.group, level: p.level, term: p.term, estimate: p.estimate,
      "conf.low": map ? p.fromConfint!(ci.lower) : null, "conf.high": map ? p.fromConfint!(ci.upper) : null,
    };
  });
}

function ranValRows(model: LinearMixedModel, level: number | null): TidyRow[] {
  const z = level === null ? NaN : qnorm(1 - (1 - level) / 2);
  const rows: TidyRow[] = [];
  for (const re of model.ranef()) {
    const sd = model.condSd(re.group);
    const k = re.terms.length;
    re.terms.forEach((term, c) => {
      re.levels.forEach((lv, l) => {
        const estimate = re.values[l * k + c], se = sd[l * k + c];
        rows.push({
          effect: "ran_vals", group: re.group, level: lv, term, estimate, "std.error": se,
          "conf.low": level === null ? null : estimate - z * se, "conf.high": level === null ? null : estimate + z * se,
        });
      });
    });
  }
  return rows;
}
