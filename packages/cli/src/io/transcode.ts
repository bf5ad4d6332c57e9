// DuckDB reads CSV text as UTF-8. A file in Latin-1 (`--encoding latin1`) is read through a UTF-8
// copy in a temporary directory, decoded as the in-memory reader decodes it (windows-1252, a
// superset of ISO-8859-1 that every byte decodes in), in chunks (the file never whole in memory).
import { closeSync, createReadStream, createWriteStream, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { InvalidArgumentError } from "@lmm/core";
import { csvEncoding, utf8Checker } from "@lmm/arquero";

/**
 * Checks that a file is UTF-8 as the in-memory reader does (DuckDB would refuse it with a message of
 * its own, or read it with replacement characters): the first byte that is not is refused with the
 * file, its line and its byte offset. A glob's files are left to DuckDB.
 */
export async function checkUtf8File(path: string, shownAs = path): Promise<void> {
  if (/[*?[]/.test(path)) return;
  const check = utf8Checker(shownAs, (offset) => lineAt(path, offset));
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) check.push(chunk as Buffer);
  check.end();
}

/** The line (from 1) of a byte offset: newlines before it, counted only when an error names it. */
function lineAt(path: string, offset: number): number {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(1 << 20);
    let line = 1;
    for (let at = 0; at < offset; ) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, offset - at), at);
      if (read === 0) break;
      for (let i = buffer.indexOf(10, 0); i >= 0 && i < read; i = buffer.indexOf(10, i + 1)) line++;
      at += read;
    }
    return line;
  } finally {
    closeSync(fd);
  }
}

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
