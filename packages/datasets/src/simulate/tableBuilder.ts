import type { EncodedColumn, EncodedTable } from "../table.js";
import { signif } from "./draws.js";

/** Collects columns in order and checks they all have the table's length. */
export class TableBuilder {
  private readonly columns: EncodedColumn[] = [];
  constructor(private readonly name: string, private readonly nRows: number) {}

  /** Adds a numeric column, rounded to `digits` significant digits. */
  numeric(name: string, values: ArrayLike<number>, digits = 7): this {
    this.check(name, values.length);
    this.columns.push({ name, type: "numeric", values: Array.from(values, (v) => signif(v, digits)) });
    return this;
  }

  /** Adds a factor column from level codes. */
  factor(name: string, levels: readonly string[], codes: ArrayLike<number>): this {
    this.check(name, codes.length);
    this.columns.push({ name, type: "factor", levels: levels.slice(), codes: Array.from(codes) });
    return this;
  }

  build(): EncodedTable {
    return { name: this.name, nRows: this.nRows, columns: this.columns };
  }

  private check(name: string, length: number): void {
    if (length !== this.nRows) throw new Error(`column ${name} has ${length} values, table ${this.name} has ${this.nRows} rows`);
  }
}

/** A simulated data set: the table and its truth. */
export interface Simulated<Truth> {
  table: EncodedTable;
  truth: Truth;
}
