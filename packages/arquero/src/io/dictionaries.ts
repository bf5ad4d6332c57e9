import { columnFromArray, dictionary, int32, utf8 } from "@uwdata/flechette";
import type { ArrowTableLike } from "./arrow.js";

/** What an Arrow column of apache-arrow or flechette exposes that this module reads. */
interface ArrowColumn {
  type: { typeId: number };
  data: readonly { cache?: readonly unknown[]; dictionary?: { toArray(): ArrayLike<unknown> } }[];
  [Symbol.iterator](): Iterator<unknown>;
}

/** Arrow's type id of dictionary-encoded columns (the same in apache-arrow and flechette). */
const DICTIONARY = -1;

/**
 * The table with every dictionary column whose record batches carry *different* dictionaries
 * rebuilt as one column with one dictionary. Why: arquero's `fromArrow` decodes every batch's keys
 * with the last batch's dictionary, which is right for delta dictionaries (each extends the one
 * before) but silently wrong for replacement dictionaries — what parquet-wasm emits for a Parquet
 * file of several row groups (one dictionary per row group). Columns whose dictionaries agree are
 * passed through untouched (no copy); a rebuilt column's levels are in order of first appearance.
 */
export function withUnifiedDictionaries(table: ArrowTableLike): ArrowTableLike {
  const replaced = new Map<string, unknown>();
  for (const { name } of table.schema.fields) {
    const column = table.getChild(name) as ArrowColumn | null;
    if (column?.type?.typeId === DICTIONARY && !lastDictionaryDecodesAll(column)) replaced.set(name, rebuilt(column));
  }
  if (replaced.size === 0) return table;
  return { schema: table.schema, getChild: (name: string) => (replaced.has(name) ? replaced.get(name) : table.getChild(name)) };
}

/** True when each batch's dictionary is a prefix of the last one's, so the last decodes every key. */
function lastDictionaryDecodesAll(column: ArrowColumn): boolean {
  const batches = column.data;
  if (batches.length <= 1) return true;
  const last = dictionaryOf(batches[batches.length - 1]);
  return batches.every((batch) => {
    const own = dictionaryOf(batch);
    if (own === last) return true;
    if (own.length > last.length) return false;
    for (let i = 0; i < own.length; i++) if (!Object.is(own[i], last[i])) return false;
    return true;
  });
}

function dictionaryOf(batch: ArrowColumn["data"][number]): ArrayLike<unknown> {
  return batch.cache ?? batch.dictionary?.toArray() ?? [];
}

/** The column's decoded values as one batch: a string dictionary when they are strings, else plain values. */
function rebuilt(column: ArrowColumn): unknown {
  const values = Array.from({ [Symbol.iterator]: () => column[Symbol.iterator]() });
  const strings = values.every((v) => v === null || v === undefined || typeof v === "string");
  return strings ? columnFromArray(values, dictionary(utf8(), int32())) : columnFromArray(values);
}
