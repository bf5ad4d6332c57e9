// DuckDB reads CSV text as UTF-8. A file in Latin-1 (`--encoding latin1`) is read through a UTF-8
// copy in a temporary directory, decoded as the in-memory reader decodes it (windows-1252, a
// superset of ISO-8859-1 that every byte decodes in), in chunks (the file never whole in memory).
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { InvalidArgumentError } from "@lmm/core";
import { csvEncoding } from "@lmm/arquero";

/** A UTF-8 copy of a Latin-1 file (same name, in a temporary directory), or null when the file is UTF-8 already. */
export async function utf8Copy(path: string, encoding: string | undefined): Promise<{ path: string; remove(): void } | null> {
  if (encoding === undefined || csvEncoding(encoding) === "utf-8") return null;
  if (/[*?[]/.test(path)) throw new InvalidArgumentError("--encoding", encoding, "utf-8 with a glob of CSV files (DuckDB reads UTF-8; convert the files, or fit one file with --encoding latin1)");
  const dir = mkdtempSync(join(tmpdir(), "lmm-csv-"));
  const copy = join(dir, basename(path));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    // One byte is one character in windows-1252: chunks decode independently.
    const decoder = new TextDecoder("windows-1252");
    await pipeline(createReadStream(path), async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) yield decoder.decode(chunk);
    }, createWriteStream(copy));
  } catch (e) {
    remove();
    throw e;
  }
  return { path: copy, remove };
}
