import { LmmError } from "@lmm/core";

/**
 * A grouping named for case deletion, cross-validation or shrinkage that is neither a grouping factor
 * of the model (`site`, `site:patient`) nor a column of the data.
 *
 * @example
 * ```ts
 * try { await clusterInfluence(model, { data, group: "sitee" }); } catch (e) { if (e instanceof UnknownGroupingError) console.log(e.group, e.available); }
 * ```
 */
export class UnknownGroupingError extends LmmError {
  readonly group: string;
  readonly available: string[];
  constructor(group: string, available: string[], what = "a grouping factor of the model or a column of the data") {
    super("UNKNOWN_GROUPING", `unknown grouping ${JSON.stringify(group)}: expected ${what} (available: ${available.map((a) => JSON.stringify(a)).join(", ")})`);
    this.group = group;
    this.available = available;
  }
}

/**
 * The data passed with a model are not the data it was fitted to (another number of rows), so the
 * rows of a deleted cluster cannot be found.
 *
 * @example
 * ```ts
 * try { await clusterInfluence(model, { data: other, group: "site" }); } catch (e) { if (e instanceof DataMismatchError) console.log(e.expectedRows); }
 * ```
 */
export class DataMismatchError extends LmmError {
  readonly rows: number;
  readonly expectedRows: number;
  constructor(rows: number, expectedRows: number) {
    super("DATA_MISMATCH", `the data have ${rows} rows but the model was fitted to data with ${expectedRows} rows; pass the data the model was fitted to`);
    this.rows = rows;
    this.expectedRows = expectedRows;
  }
}
