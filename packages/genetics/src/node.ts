// Node-only entry of @lmm/genetics (`@lmm/genetics/node`): reading and writing files. The library proper
// works on bytes, Blobs and streams and runs in browsers; this module adds the file system and zlib.
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { writeFileAtomic } from "@lmm/core/node";
import { readPlink } from "./genotypes/readPlink.js";
import type { PackedGenotypes } from "./genotypes/bed.js";
import { parseDosageText, type DosageCsvOptions } from "./genotypes/dosageCsv.js";
import type { DosageMatrix } from "./genotypes/DosageMatrix.js";
import { parseKinship } from "./io/kinshipText.js";
import type { Kinship } from "./grm/grm.js";

/**
 * Reads `PREFIX.bed`, `PREFIX.bim`, `PREFIX.fam`; the `.bed` is streamed from disk (checked as it arrives).
 *
 * @example
 * ```ts
 * import { readPlinkFiles } from "@lmm/genetics/node";
 * const g = await readPlinkFiles("data/geno");
 * ```
 */
export async function readPlinkFiles(prefix: string): Promise<PackedGenotypes> {
  const [bim, fam] = await Promise.all([readFile(prefix + ".bim", "utf8"), readFile(prefix + ".fam", "utf8")]);
  return readPlink({ bed: createReadStream(prefix + ".bed") as AsyncIterable<Uint8Array>, bim, fam });
}

/**
 * Reads a dosage CSV file (`.gz` decompressed with zlib as it streams).
 *
 * @example
 * ```ts
 * const d = await readDosageCsvFile("data/geno.dosage.csv.gz");
 * ```
 */
export async function readDosageCsvFile(path: string, options: DosageCsvOptions = {}): Promise<DosageMatrix> {
  const raw = createReadStream(path);
  const bytes: AsyncIterable<Buffer> = path.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  async function* text(): AsyncGenerator<string> {
    const decoder = new TextDecoder();
    for await (const chunk of bytes) yield decoder.decode(chunk, { stream: true });
    yield decoder.decode();
  }
  return parseDosageText(text(), { fileName: path, ...options });
}

/**
 * Reads a relationship matrix in GEMMA's text format (optionally gzip-compressed).
 *
 * @example
 * ```ts
 * const K = await readKinshipFile("output/kin.cXX.txt");
 * ```
 */
export async function readKinshipFile(path: string, n?: number): Promise<Kinship> {
  let text: string;
  if (path.endsWith(".gz")) {
    const chunks: Buffer[] = [];
    for await (const c of createReadStream(path).pipe(createGunzip())) chunks.push(c as Buffer);
    text = Buffer.concat(chunks).toString("utf8");
  } else text = await readFile(path, "utf8");
  return parseKinship(text, { n, fileName: path });
}

/**
 * Writes lines (each followed by a newline) to a file, atomically: a temporary file in the same directory,
 * flushed to disk, then renamed over `path` (see `writeFileAtomic` of `@lmm/core/node`). A full disk or
 * another I/O error throws an `OutputFileError` and leaves the previous file unchanged.
 *
 * @example
 * ```ts
 * await writeLines("K.txt", kinshipLines(K));
 * ```
 */
export async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  await writeFileAtomic(path, withNewlines(lines));
}

function* withNewlines(lines: Iterable<string>): Generator<string> {
  for (const line of lines) yield line + "\n";
}
