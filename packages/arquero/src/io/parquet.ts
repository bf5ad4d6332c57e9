import { InvalidArgumentError } from "@lmm/core";
import type { ColumnTable } from "arquero";
import { readArrow } from "./arrow.js";

/** Options of {@link readParquet}. */
export interface ReadParquetOptions {
  /**
   * Browsers only: where parquet-wasm's `.wasm` file is (URL, bytes or a compiled module).
   * Default: next to parquet-wasm's module, which is what bundlers copy. Node loads it itself.
   */
  wasm?: URL | string | BufferSource | WebAssembly.Module;
}

interface ParquetWasm {
  readParquet(bytes: Uint8Array): { intoIPCStream(): Uint8Array };
  default?: unknown;
}

/**
 * Reads a Parquet file (its bytes) into an Arquero table with parquet-wasm (WebAssembly, no native
 * code): Parquet → Arrow IPC → arquero's `fromArrow`. Dictionary-encoded string columns arrive as
 * Arrow dictionaries and their dictionary order is the level order (see {@link dictionaryLevels});
 * note that Parquet writers rebuild dictionaries, usually in order of first appearance, so pass
 * `levels` to `fit` when the order matters (a reference level).
 *
 * @example
 * ```ts
 * const t = await readParquet(new Uint8Array(await (await fetch("tma.parquet")).arrayBuffer()));
 * ```
 */
export async function readParquet(bytes: Uint8Array | ArrayBuffer, options: ReadParquetOptions = {}): Promise<ColumnTable> {
  return readArrow(await parquetToArrowIPC(bytes, options));
}

/**
 * A Parquet file's rows as one Arrow IPC stream, decoded by parquet-wasm: what {@link readParquet}
 * reads, for consumers that take Arrow themselves (DuckDB-wasm's `insertArrowFromIPCStream`).
 *
 * @example
 * ```ts
 * await connection.insertArrowFromIPCStream(await parquetToArrowIPC(bytes), { name: "upload" });
 * ```
 */
export async function parquetToArrowIPC(bytes: Uint8Array | ArrayBuffer, options: ReadParquetOptions = {}): Promise<Uint8Array> {
  const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(data instanceof Uint8Array)) throw new InvalidArgumentError("Parquet input", bytes, "the file's bytes (Uint8Array or ArrayBuffer)");
  const parquet = (await import("parquet-wasm")) as unknown as ParquetWasm;
  // The ESM build (browsers, bundlers) must be initialised; the Node build's default export is its exports object.
  if (typeof parquet.default === "function") {
    await (parquet.default as (input?: unknown) => Promise<unknown>)(options.wasm === undefined ? undefined : { module_or_path: options.wasm });
  }
  try {
    return parquet.readParquet(data).intoIPCStream();
  } catch (e) {
    throw new InvalidArgumentError("Parquet input", `${data.length} bytes`, `a Parquet file (${e instanceof Error ? e.message : String(e)})`);
  }
}
