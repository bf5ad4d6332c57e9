import { InvalidArgumentError } from "@lmm/core";
import { tableFromIPC } from "@uwdata/flechette";
import { fromArrow, type ColumnTable } from "arquero";
import { withUnifiedDictionaries } from "./dictionaries.js";

/** An Arrow table from apache-arrow or flechette: what arquero's `fromArrow` accepts besides bytes. */
export interface ArrowTableLike {
  schema: { fields: { name: string }[] };
  getChild(name: string): unknown;
}

/** Anything {@link asTable} turns into an Arquero table. */
export type TableInput = ColumnTable | ArrowTableLike | Uint8Array | ArrayBuffer;

/**
 * An Arquero table from Arrow data: an apache-arrow (or flechette) `Table`, or Arrow IPC bytes
 * (stream or file format), through arquero's own `fromArrow`. Columns stay Arrow-backed (no copy);
 * dictionary columns keep their dictionary, which {@link dictionaryLevels} reads as level order. A
 * dictionary column whose record batches carry different dictionaries (a Parquet file of several row
 * groups) is decoded batch by batch into one dictionary in order of first appearance.
 *
 * @example
 * ```ts
 * import { tableFromArrays, tableToIPC } from "apache-arrow";
 * const t = readArrow(tableToIPC(tableFromArrays({ y: Float64Array.of(1, 2, 3) })));
 * t.numRows(); // 3
 * ```
 */
export function readArrow(input: ArrowTableLike | Uint8Array | ArrayBuffer): ColumnTable {
  try {
    // Parsed here, as arquero would (dates as Date), so that the dictionaries can be checked first.
    const arrow = input instanceof Uint8Array || input instanceof ArrayBuffer ? tableFromIPC(input, { useDate: true }) : input;
    return fromArrow(withUnifiedDictionaries(arrow as ArrowTableLike) as Parameters<typeof fromArrow>[0]);
  } catch (e) {
    throw new InvalidArgumentError("Arrow input", input, `an Arrow table or Arrow IPC bytes (${(e as Error).message})`);
  }
}

/**
 * The input as an Arquero table: Arquero tables as they are, Arrow tables and IPC bytes through
 * {@link readArrow}. Everything else is refused with an InvalidArgumentError.
 *
 * @example
 * ```ts
 * import { table } from "arquero";
 * asTable(table({ y: [1, 2] })).numRows(); // 2
 * ```
 */
export function asTable(input: TableInput): ColumnTable {
  if (isArqueroTable(input)) return input;
  if (input instanceof Uint8Array || input instanceof ArrayBuffer || isArrowTable(input)) return readArrow(input as ArrowTableLike);
  throw new InvalidArgumentError("table", input, "an Arquero table, an Arrow table or Arrow IPC bytes");
}

function isArqueroTable(x: unknown): x is ColumnTable {
  const t = x as ColumnTable | null;
  return typeof t === "object" && t !== null && typeof t.columnNames === "function" && typeof t.numRows === "function" && typeof t.column === "function";
}

function isArrowTable(x: unknown): x is ArrowTableLike {
  const t = x as ArrowTableLike | null;
  return typeof t === "object" && t !== null && Array.isArray(t.schema?.fields) && typeof t.getChild === "function";
}
