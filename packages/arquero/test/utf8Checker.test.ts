import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { utf8Checker } from "../src/index.js";
import { decodeCsvBytes } from "../src/io/csv/decode.js";

// The chunked check (what the CLI runs before DuckDB reads a CSV file) refuses exactly what the
// whole-file decoder refuses, with the same message (file, line, byte offset, byte), wherever the
// chunks are cut: through a multi-byte character, at a bad byte, before an incomplete last one.
function lineOf(bytes: Uint8Array) {
  return (offset: number) => 1 + bytes.subarray(0, offset).filter((b) => b === 0x0a).length;
}

function chunked(bytes: Uint8Array, cuts: number[]): string | null {
  const check = utf8Checker("f.csv", lineOf(bytes));
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  try {
    let from = 0;
    for (const c of [...at, bytes.length]) {
      if (c > from) check.push(bytes.subarray(from, c));
      from = Math.max(from, c);
    }
    check.end();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

function whole(bytes: Uint8Array): string | null {
  try {
    decodeCsvBytes(bytes, "f.csv");
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

describe("utf8Checker", () => {
  it("refuses what decodeCsvBytes refuses, with its message, for any cut into chunks", () => {
    const pieces = fc.constantFrom("a", ",", "\n", "é", "€", "𝄞", "日", "\xff", "\xc3", "\xe2\x82", "\xed\xa0\x80", "\xf0\x9f");
    fc.assert(
      fc.property(fc.array(pieces, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(200), { maxLength: 6 }), (parts, cuts) => {
        // Strings with \x escapes stand for raw bytes; the others are UTF-8 text.
        const bytes = Uint8Array.from(parts.flatMap((p) => (/^[\x80-\xff]+$/.test(p) ? Array.from(p, (c) => c.charCodeAt(0)) : Array.from(new TextEncoder().encode(p)))));
        if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return;
        expect(chunked(bytes, cuts)).toBe(whole(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it("names the line and the byte of a Latin-1 é after a valid multi-byte character cut across chunks", () => {
    const before = new TextEncoder().encode("id,name\n1,日本\n2,Caf");
    const bytes = Uint8Array.from([...before, 0xe9, 0x0a]);
    expect(chunked(bytes, [12, 13])).toBe(`f.csv: line 3, byte offset ${before.length}: byte 0xe9 is not UTF-8 text; re-save the file as UTF-8 (e.g. "CSV UTF-8" in Excel), or read it as Latin-1 (encoding "latin1", --encoding latin1)`);
  });
});
