import { InvalidArgumentError } from "@lmm/core";
import { CsvEncodingError } from "./errors.js";

/** Encodings a CSV file may be read in: UTF-8 (the default) or Latin-1 as Windows writes it (windows-1252). */
export type CsvEncoding = "utf-8" | "latin1";

/** Text decoded from a file's bytes, and what it takes to write the same bytes back. */
export interface DecodedText {
  text: string;
  encoding: CsvEncoding;
  /** Whether the bytes began with a UTF-8 byte-order mark (stripped from `text`). */
  bom: boolean;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const RESAVE = 're-save the file as UTF-8 (e.g. "CSV UTF-8" in Excel), or read it as Latin-1 (encoding "latin1", --encoding latin1)';

/** The encoding option, normalised; anything else is refused. */
export function csvEncoding(value: string | undefined): CsvEncoding {
  if (value === undefined) return "utf-8";
  const v = value.toLowerCase();
  if (v === "utf-8" || v === "utf8") return "utf-8";
  if (v === "latin1" || v === "latin-1" || v === "iso-8859-1" || v === "windows-1252" || v === "cp1252") return "latin1";
  throw new InvalidArgumentError("encoding", value, '"utf-8" or "latin1"');
}

/**
 * Decodes a file's bytes. UTF-8 is decoded strictly: the first byte that is not UTF-8 is refused with its
 * line and byte offset (never replaced by U+FFFD, which would silently merge `Café` and `Cafè` into one
 * level); a UTF-8 byte-order mark is stripped. `latin1` decodes every byte (as windows-1252, which is what
 * "Latin-1" files from Windows are). UTF-16 files are recognised by their byte-order mark and refused.
 */
export function decodeCsvBytes(bytes: Uint8Array, file: string, encoding: CsvEncoding = "utf-8"): DecodedText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new CsvEncodingError(file, 1, 0, `UTF-16 text (byte-order mark 0x${bytes[0].toString(16)} 0x${bytes[1].toString(16)}); re-save the file as UTF-8`);
  }
  if (encoding === "latin1") return { text: new TextDecoder("windows-1252").decode(bytes), encoding, bom: false };
  const bom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body), encoding, bom };
  } catch {
    const offset = firstInvalidUtf8(body) + (bom ? 3 : 0);
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    throw new CsvEncodingError(file, line, offset, `byte 0x${bytes[offset].toString(16).padStart(2, "0")} is not UTF-8 text; ${RESAVE}`);
  }
}

/**
 * A strict UTF-8 check of a file read in chunks (for readers that never hold the file whole, such as
 * DuckDB's): `push` each chunk, then `end`. The first byte that is not UTF-8 is refused as
 * {@link decodeCsvBytes} refuses it, with its byte offset; its line is counted by `lineOf` (which
 * re-reads the bytes before it only when there is an error). UTF-16 byte-order marks are refused.
 *
 * @example
 * ```ts
 * const check = utf8Checker("cells.csv", (offset) => lineBefore(offset));
 * for await (const chunk of createReadStream("cells.csv")) check.push(chunk);
 * check.end();
 * ```
 */
export function utf8Checker(file: string, lineOf: (offset: number) => number): { push(chunk: Uint8Array): void; end(): void } {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let seen = 0;
  let tail = new Uint8Array(0);
  const refuse = (bytes: Uint8Array, base: number): never => {
    // Scan from the first byte that starts a character (continuation bytes before it belong to a character already checked).
    let start = 0;
    while (start < bytes.length && start < 3 && (bytes[start] & 0xc0) === 0x80) start++;
    const offset = base + start + firstInvalidUtf8(bytes.subarray(start));
    const shown = offset - base < bytes.length ? `byte 0x${bytes[offset - base].toString(16).padStart(2, "0")}` : "the file's last bytes";
    throw new CsvEncodingError(file, lineOf(offset), offset, `${shown} is not UTF-8 text; ${RESAVE}`);
  };
  return {
    push(chunk) {
      if (seen === 0 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
        throw new CsvEncodingError(file, 1, 0, `UTF-16 text (byte-order mark 0x${chunk[0].toString(16)} 0x${chunk[1].toString(16)}); re-save the file as UTF-8`);
      }
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        const bytes = new Uint8Array(tail.length + chunk.length);
        bytes.set(tail);
        bytes.set(chunk, tail.length);
        refuse(bytes, seen - tail.length);
      }
      seen += chunk.length;
      // The stream's last 3 bytes (a character cut by the chunk boundary starts among them).
      if (chunk.length >= 3) tail = chunk.slice(chunk.length - 3);
      else {
        const joined = new Uint8Array(tail.length + chunk.length);
        joined.set(tail);
        joined.set(chunk, tail.length);
        tail = joined.slice(Math.max(0, joined.length - 3));
      }
    },
    end() {
      try {
        decoder.decode();
      } catch {
        refuse(tail, seen - tail.length);
      }
    },
  };
}

/**
 * The bytes of `text` in an encoding, with the byte-order mark if asked: the inverse of {@link decodeCsvBytes},
 * so cells written back unchanged are byte-for-byte the ones read.
 */
export function encodeCsvText(text: string, encoding: CsvEncoding, bom: boolean): Uint8Array {
  if (encoding === "utf-8") {
    const body = new TextEncoder().encode(text);
    if (!bom) return body;
    const out = new Uint8Array(body.length + 3);
    out.set(UTF8_BOM);
    out.set(body, 3);
    return out;
  }
  const table = windows1252Bytes();
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const byte = code < 0x80 ? code : table.get(code);
    if (byte === undefined) throw new InvalidArgumentError("text", text.slice(i, i + 1), "characters that Latin-1 (windows-1252) can encode");
    out[i] = byte;
  }
  return out;
}

let inverse1252: Map<number, number> | undefined;
function windows1252Bytes(): Map<number, number> {
  if (inverse1252) return inverse1252;
  const decoded = new TextDecoder("windows-1252").decode(Uint8Array.from({ length: 128 }, (_, i) => 128 + i));
  inverse1252 = new Map(Array.from(decoded, (ch, i) => [ch.charCodeAt(0), 128 + i]));
  return inverse1252;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (the file's length if none). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number, min: number;
    if (c >= 0xc2 && c <= 0xdf) (need = 1), (min = 0x80);
    else if (c >= 0xe0 && c <= 0xef) (need = 2), (min = 0x800);
    else if (c >= 0xf0 && c <= 0xf4) (need = 3), (min = 0x10000);
    else return i;
    let code = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const next = b[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return b.length;
}
