import { LmmError } from "./LmmError.js";

/**
 * A model, or a part of it, that cannot be fitted from grouped sums computed next to the data (a
 * basis whose construction is learned from the rows, prior weights, an offset, a known covariance):
 * fit it from rows instead (`lmm`, or the CLI without an SQL source).
 */
export class NotAggregableError extends LmmError {
  readonly part: string;
  constructor(part: string, reason: string) {
    super("NOT_AGGREGABLE", `${part} cannot be fitted from grouped sums: ${reason}; fit it from rows (in memory) instead`);
    this.part = part;
  }
}
