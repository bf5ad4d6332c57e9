import { LmmError } from "@lmm/core";

/**
 * The placeholder a formula template names the feature column with.
 *
 * @example
 * ```ts
 * const template = `${FEATURE_PLACEHOLDER} ~ grade + (1 | patient)`;
 * ```
 */
export const FEATURE_PLACEHOLDER = "{feature}";

/**
 * A formula template that cannot be used for one model per feature.
 *
 * @example
 * ```ts
 * try { fitEach(t, "y ~ x + (1|g)", ["a"]) } catch (e) { if (e instanceof FormulaTemplateError) console.log(e.template) }
 * ```
 */
export class FormulaTemplateError extends LmmError {
  readonly template: string;
  constructor(template: string, reason: string) {
    super("FORMULA_TEMPLATE", `formula template ${JSON.stringify(template)}: ${reason}`);
    this.template = template;
  }
}

/** Checks that `{feature}` occurs exactly once, on the left of `~`. */
export function checkTemplate(template: string): void {
  if (typeof template !== "string") throw new FormulaTemplateError(String(template), "is not a string");
  const at = template.indexOf(FEATURE_PLACEHOLDER);
  if (at < 0) throw new FormulaTemplateError(template, `has no ${FEATURE_PLACEHOLDER} placeholder for the feature column, e.g. "{feature} ~ 1 + (1 | patient)"`);
  if (template.indexOf(FEATURE_PLACEHOLDER, at + 1) >= 0) throw new FormulaTemplateError(template, `names ${FEATURE_PLACEHOLDER} more than once; it must be the response only`);
  const tilde = template.indexOf("~");
  if (tilde < 0 || tilde < at) throw new FormulaTemplateError(template, `${FEATURE_PLACEHOLDER} must be the response, left of "~"`);
}

/** The column name as a formula names it: plain R names as they are, others between backticks. */
export function formulaName(column: string): string {
  if (/^[A-Za-z._][A-Za-z0-9._]*$/.test(column) && !/^\.[0-9]/.test(column)) return column;
  if (column.includes("`")) throw new FormulaTemplateError(column, "a column whose name contains a backtick cannot be named in a formula");
  return `\`${column}\``;
}

/**
 * The template with the feature column in place of `{feature}`.
 *
 * @example
 * ```ts
 * featureFormula("{feature} ~ 1 + (1 | patient)", "f 1"); // "`f 1` ~ 1 + (1 | patient)"
 * ```
 */
export function featureFormula(template: string, feature: string): string {
  checkTemplate(template);
  return template.replace(FEATURE_PLACEHOLDER, formulaName(feature));
}
