import { DimensionMismatchError, MalformedLineError } from "../errors.js";
import type { ByteInput } from "./byteStream.js";
import { byteChunks } from "./byteStream.js";
import { DosageMatrix, anonymousIndividuals, anonymousSnps } from "./DosageMatrix.js";
import type { SnpTable } from "./types.js";

/** Options of {@link readDosageCsv}. */
export interface DosageCsvOptions {
  /** Annotation for the SNP columns (e.g. from the matching `.bim`); must list the same ids in the same order. */
  snps?: SnpTable;
  /** File name used in error messages. */
  fileName?: string;
}

/**
 * Reads a dosage matrix from CSV: header `iid,snp1,snp2,…`, one row per individual, values are copies of the
 * counted allele (0–2, decimals allowed); `NA`, `.` or an empty cell is missing. Gzip input (detected by its
 * magic bytes) is decompressed with the standard `DecompressionStream` (browsers, Node ≥ 18); the Node entry
 * `@lmm/genetics/node` reads files through zlib instead.
 *
 * @example
 * ```ts
 * const g = await readDosageCsv("iid,s1,s2\nI1,0,2\nI2,1,NA\n");
 * g.nSnps; // 2
 * ```
 */
export async function readDosageCsv(input: ByteInput | string, options: DosageCsvOptions = {}): Promise<DosageMatrix> {
  if (typeof input === "string") return parseDosageText(singleChunk(input), options);
  return parseDosageText(decodeText(maybeGunzip(byteChunks(input))), options);
}

async function* singleChunk(text: string): AsyncGenerator<string> {
  yield text;
}

/** Decompresses gzip chunks with DecompressionStream when the stream starts with 0x1f 0x8b. */
export async function* maybeGunzip(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = first.value;
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => it };
  if (!(head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)) {
    yield head;
    yield* rest;
    return;
  }
  const ds = new DecompressionStream("gzip");
  const writer = ds.writable.getWriter();
  const pump = (async () => {
    try {
      await writer.write(head as Uint8Array<ArrayBuffer>);
      for await (const c of rest) await writer.write(c as Uint8Array<ArrayBuffer>);
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => undefined);
    }
  })();
  const reader = ds.readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    yield value;
  }
  await pump;
}

/** UTF-8 decoding of byte chunks into text chunks. */
export async function* decodeText(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const c of chunks) {
    const t = decoder.decode(c, { stream: true });
    if (t) yield t;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** Parses dosage CSV text chunks (exported for the Node entry, which feeds zlib output). */
export async function parseDosageText(chunks: AsyncIterable<string>, options: DosageCsvOptions = {}): Promise<DosageMatrix> {
  const file = options.fileName ?? "dosage CSV";
  let header: string[] | undefined;
  let m = 0;
  let values = new Float32Array(0);
  const ids: string[] = [];
  let lineNo = 0;
  let carry = "";
  const onLine = (line: string) => {
    lineNo++;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (header === undefined) {
      header = line.split(",");
      m = header.length - 1;
      if (m < 1) throw new MalformedLineError(file, lineNo, "header needs an id column and at least one SNP column");
      values = new Float32Array(m * 64);
      return;
    }
    if (line === "") return;
    const row = ids.length;
    if ((row + 1) * m > values.length) {
      const grown = new Float32Array(values.length * 2);
      grown.set(values);
      values = grown;
    }
    parseRow(line, row * m, values, m, file, lineNo, header, ids);
  };
  for await (const chunk of chunks) {
    const text = carry + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      onLine(text.slice(start, nl));
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  if (carry !== "") onLine(carry);
  if (header === undefined) throw new MalformedLineError(file, 1, "empty file: no header");
  const snpIds = header.slice(1);
  let snps = anonymousSnps(snpIds);
  if (options.snps) {
    if (options.snps.id.length !== m) throw new DimensionMismatchError(`${file} SNP columns vs the SNP table`, m, options.snps.id.length);
    for (let k = 0; k < m; k++) {
      if (options.snps.id[k] !== snpIds[k]) throw new MalformedLineError(file, 1, `SNP column ${k + 2} is ${JSON.stringify(snpIds[k])}, the SNP table has ${JSON.stringify(options.snps.id[k])}`, String(k + 2), snpIds[k]);
    }
    snps = options.snps;
  }
  return new DosageMatrix(values.slice(0, ids.length * m), ids.length, m, snps, anonymousIndividuals(ids));
}

function parseRow(line: string, offset: number, out: Float32Array, m: number, file: string, lineNo: number, header: string[], ids: string[]): void {
  let comma = line.indexOf(",");
  if (comma < 0) throw new MalformedLineError(file, lineNo, `expected ${m + 1} fields, found 1`);
  ids.push(line.slice(0, comma));
  let k = 0;
  let pos = comma + 1;
  const len = line.length;
  while (pos <= len) {
    let end = line.indexOf(",", pos);
    if (end < 0) end = len;
    if (k >= m) throw new MalformedLineError(file, lineNo, `more than ${m + 1} fields`);
    let v: number;
    if (end - pos === 1) {
      const c = line.charCodeAt(pos) - 48;
      v = c >= 0 && c <= 9 ? c : c === 46 - 48 ? NaN : parseCell(line.slice(pos, end));
    } else v = parseCell(line.slice(pos, end));
    if (v !== v && !isMissingCell(line.slice(pos, end))) {
      throw new MalformedLineError(file, lineNo, `dosage ${JSON.stringify(line.slice(pos, end))} is not a number`, header[k + 1], line.slice(pos, end));
    }
    if (v < 0 || v > 2) throw new MalformedLineError(file, lineNo, `dosage ${v} is outside 0..2`, header[k + 1], line.slice(pos, end));
    out[offset + k] = v;
    k++;
    pos = end + 1;
  }
  if (k !== m) throw new MalformedLineError(file, lineNo, `expected ${m + 1} fields, found ${k + 1}`);
}

function parseCell(s: string): number {
  if (isMissingCell(s)) return NaN;
  const t = s.trim();
  return t === "" ? NaN : Number(t);
}

function isMissingCell(s: string): boolean {
  const t = s.trim();
  return t === "" || t === "NA" || t === "." || t === "nan" || t === "NaN";
}
