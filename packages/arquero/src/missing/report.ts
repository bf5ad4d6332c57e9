import { getColumnOrThrow } from "./lookup.js";
import { table as aqTable, type ColumnTable } from "arquero";
import type { LinearMixedModel } from "@lmm/core";
import { asTable, type TableInput } from "../io/arrow.js";
import { tableColumns } from "../io/columns.js";
import { formulaColumns, missingMask, type ColumnRole } from "./roles.js";

/**
 * What was dropped for missing values, for one fit or for every feature of `fitEach`.
 * `byColumn`: one row per fit (`feature`, the response column) and used column: `column`,
 * `role` (response / fixed / random / group), `missing` (rows where it is missing) and `only`
 * (rows dropped because of this column alone). `byRow`: one row per fit and dropped row: `row`
 * (0-based data row) and `columns` (the used columns missing there, comma-separated).
 */
export interface MissingReport {
  byColumn: ColumnTable;
  byRow: ColumnTable;
}

/** One used column with its missing mask. */
export interface MaskedColumn {
  column: string;
  role: ColumnRole;
  mask: Uint8Array;
}

/**
 * The missing-data report of one fit: every column the formula uses, every row it drops.
 *
 * @example
 * ```ts
 * const { byColumn, byRow } = missingData(t, "y ~ x + (1 | g)");
 * byRow.objects(); // [{ feature: "y", row: 4, columns: "x" }, …]
 * ```
 */
export function missingData(table: TableInput, formula: string | LinearMixedModel): MissingReport {
  const columns = tableColumns(asTable(table));
  const spec = typeof formula === "string" ? formula : formula.structure.spec;
  const used = formulaColumns(spec).map(({ column, role }) => ({ column, role, mask: missingMask(getColumnOrThrow(columns, column)) }));
  const builder = new ReportBuilder();
  const response = used.find((c) => c.role === "response");
  builder.add(response ? response.column : "", used);
  return builder.build();
}

/** Accumulates report rows column by column (no per-row objects). */
export class ReportBuilder {
  private readonly colFeature: string[] = [];
  private readonly colColumn: string[] = [];
  private readonly colRole: string[] = [];
  private readonly colMissing: number[] = [];
  private readonly colOnly: number[] = [];
  private readonly rowFeature: string[] = [];
  private readonly rowRow: number[] = [];
  private readonly rowColumns: string[] = [];

  /** Adds one fit: its used columns' masks (all of one length). */
  add(feature: string, used: readonly MaskedColumn[]): void {
    const n = used.length > 0 ? used[0].mask.length : 0;
    const missingCount = new Int32Array(used.length);
    const only = new Int32Array(used.length);
    for (let i = 0; i < n; i++) {
      let count = 0, last = -1;
      for (let c = 0; c < used.length; c++) {
        if (used[c].mask[i]) {
          missingCount[c]++;
          count++;
          last = c;
        }
      }
      if (count === 0) continue;
      if (count === 1) only[last]++;
      this.rowFeature.push(feature);
      this.rowRow.push(i);
      this.rowColumns.push(used.filter((u) => u.mask[i]).map((u) => u.column).join(", "));
    }
    used.forEach((u, c) => {
      this.colFeature.push(feature);
      this.colColumn.push(u.column);
      this.colRole.push(u.role);
      this.colMissing.push(missingCount[c]);
      this.colOnly.push(only[c]);
    });
  }

  build(): MissingReport {
    return {
      byColumn: aqTable(new Map<string, ArrayLike<unknown>>([
        ["feature", this.colFeature], ["column", this.colColumn], ["role", this.colRole],
        ["missing", Int32Array.from(this.colMissing)], ["only", Int32Array.from(this.colOnly)],
      ])),
      byRow: aqTable(new Map<string, ArrayLike<unknown>>([["feature", this.rowFeature], ["row", Int32Array.from(this.rowRow)], ["columns", this.rowColumns]])),
    };
  }
}
