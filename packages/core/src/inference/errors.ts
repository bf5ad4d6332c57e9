// Typed errors of the inference functions; each names its culprit in fields and in the message.
import { LmmError } from "../errors/LmmError.js";

/**
 * A method needs dense matrices over all random effects and the model has too many of them.
 *
 * @example
 * ```ts
 * try { coefficients(big, { ddf: "kenward-roger" }); } catch (e) { if (e instanceof ModelTooLargeError) console.log(e.size, e.limit); }
 * ```
 */
export class ModelTooLargeError extends LmmError {
  readonly method: string;
  readonly size: number;
  readonly limit: number;
  constructor(method: string, what: string, size: number, limit: number) {
    super("MODEL_TOO_LARGE", `${method} needs dense ${what} × ${what} matrices and this model has ${what} = ${size} (limit ${limit}); use ddf "satterthwaite" instead`);
    this.method = method;
    this.size = size;
    this.limit = limit;
  }
}

/**
 * A method that is defined for REML fits only (Kenward–Roger, as pbkrtest and lmerTest) was
 * asked of an ML fit.
 *
 * @example
 * ```ts
 * try { coefficients(mlFit, { ddf: "kenward-roger" }); } catch (e) { if (e instanceof RemlRequiredError) console.log(e.method); }
 * ```
 */
export class RemlRequiredError extends LmmError {
  readonly method: string;
  constructor(method: string) {
    super("REML_REQUIRED", `${method} is only available for REML fits; refit with reml: true`);
    this.method = method;
  }
}

/**
 * A contrast matrix (or vector) whose size does not match the fixed effects, or that holds
 * non-finite values.
 *
 * @example
 * ```ts
 * try { contrastTest(model, [1, 0, 0]); } catch (e) { if (e instanceof ContrastError) console.log(e.message); }
 * ```
 */
export class ContrastError extends LmmError {
  readonly row: number;
  constructor(row: number, message: string) {
    super("CONTRAST", row >= 0 ? `contrast row ${row + 1}: ${message}` : `contrast: ${message}`);
    this.row = row;
  }
}

/**
 * Two models compared by a likelihood-ratio test were not fitted to the same observations.
 *
 * @example
 * ```ts
 * try { await anova(m0, m1); } catch (e) { if (e instanceof DifferentDataError) console.log(e.reason); }
 * ```
 */
export class DifferentDataError extends LmmError {
  readonly reason: string;
  constructor(reason: string) {
    super("DIFFERENT_DATA", `the models were not fitted to the same rows: ${reason}`);
    this.reason = reason;
  }
}

/**
 * The smaller of two models compared by a likelihood-ratio test is not a special case of the
 * larger: the test would be meaningless.
 *
 * @example
 * ```ts
 * try { anova(m0, m1); } catch (e) { if (e instanceof NotNestedError) console.log(e.part, e.term); }
 * ```
 */
export class NotNestedError extends LmmError {
  /** `"fixed"` or `"random"`: which part of the smaller model is not contained in the larger. */
  readonly part: "fixed" | "random";
  /** The column or term of the smaller model that the larger one cannot represent. */
  readonly term: string;
  constructor(part: "fixed" | "random", term: string, smaller: string, larger: string) {
    super("NOT_NESTED", `the models are not nested: ${part === "fixed" ? "fixed-effect column" : "random term"} ${JSON.stringify(term)} of ${JSON.stringify(smaller)} is not contained in ${JSON.stringify(larger)}`);
    this.part = part;
    this.term = term;
  }
}
