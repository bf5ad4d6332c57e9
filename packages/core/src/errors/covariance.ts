import { LmmError } from "./LmmError.js";

/** A known covariance (relationship) matrix for a random term cannot be used as given. */
export class CovarianceMatrixError extends LmmError {
  readonly group: string;
  /** Ids the problem concerns (a row/column pair, or ids of the data missing from the matrix). */
  readonly ids: string[];
  constructor(group: string, reason: string, ids: string[] = []) {
    super("COVARIANCE_MATRIX", `covariance matrix for ${JSON.stringify(group)}: ${reason}`);
    this.group = group;
    this.ids = ids;
  }
}
