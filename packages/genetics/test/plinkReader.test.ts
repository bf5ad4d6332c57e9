import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BadAlleleCodeError, BedMagicError, BedSizeMismatchError, BedTruncatedError, MalformedLineError,
  meanImpute, parseBim, parseFam, readDosageCsv, readPlink,
} from "../src/index.js";
import { readDosageCsvFile, readPlinkFiles } from "../src/node.js";
import { gwasRef } from "./referencePaths.js";

const bim = readFileSync(gwasRef("data/geno.bim"), "utf8");
const fam = readFileSync(gwasRef("data/geno.fam"), "utf8");
const bed = new Uint8Array(readFileSync(gwasRef("data/geno.bed")));

// A tiny fileset: 3 SNPs × 5 individuals (2 bytes a SNP), every genotype code used.
const tinyBim = "1 a 0 10 A G\n1 b 0 20 C T\n2 c 0 5 G A\n";
const tinyFam = "F1 I1 0 0 1 1.5\nF2 I2 0 0 2 -9\nF3 I3 0 0 1 2\nF4 I4 0 0 2 NA\nF5 I5 0 0 0 0.5\n";
// codes per individual (low bits first): 00 hom A1 → 2, 01 missing, 10 het → 1, 11 hom A2 → 0
const byte = (c0: number, c1: number, c2: number, c3: number) => c0 | (c1 << 2) | (c2 << 4) | (c3 << 6);
const tinyBed = Uint8Array.of(0x6c, 0x1b, 0x01,
  byte(0, 1, 2, 3), byte(2, 0, 0, 0),
  byte(3, 3, 3, 3), byte(1, 0, 0, 0),
  byte(2, 2, 0, 0), byte(0, 0, 0, 0));

describe("PLINK .bed/.bim/.fam reader", () => {
  it("decodes every 2-bit code (A1 dosage, missing as NaN) and the .fam columns", async () => {
    const g = await readPlink({ bed: tinyBed, bim: tinyBim, fam: tinyFam });
    const x = new Float64Array(15);
    g.read(0, 3, x);
    expect(Array.from(x)).toEqual([2, NaN, 1, 0, 1, 0, 0, 0, 0, NaN, 1, 1, 2, 2, 2]);
    expect(Array.from(g.individuals.phenotype)).toEqual([1.5, NaN, 2, NaN, 0.5]);
    expect(Array.from(g.individuals.sex)).toEqual([1, 2, 1, 2, 0]);
    const sub = new Float64Array(2);
    g.read(1, 1, sub, Int32Array.of(4, 0));
    expect(Array.from(sub)).toEqual([NaN, 0]);
    // Mean imputation over the non-missing calls, stated through the returned frequencies and counts.
    const af = new Float64Array(3), miss = new Int32Array(3);
    meanImpute(x, 3, 5, af, miss);
    expect(Array.from(x.subarray(0, 5))).toEqual([2, 1, 1, 0, 1]);
    expect(Array.from(miss)).toEqual([1, 1, 0]);
    expect(af[0]).toBeCloseTo(0.5, 15);
  });

  it("reads the reference the same way from bytes, a Blob, a Web stream and a Node file stream", async () => {
    const fromBytes = await readPlink({ bed, bim, fam });
    const fromBlob = await readPlink({ bed: new Blob([bed]), bim: new Blob([bim]), fam });
    const fromStream = await readPlink({ bed: new Blob([bed]).stream(), bim, fam });
    const fromFile = await readPlinkFiles(gwasRef("data/geno"));
    expect(fromBytes.nSnps).toBe(10000);
    expect(fromBytes.nIndividuals).toBe(1000);
    for (const other of [fromBlob, fromStream, fromFile]) expect(Buffer.compare(other.packedBytes(), fromBytes.packedBytes())).toBe(0);
  });

  it("round-trips against the dosage CSV (zlib in Node, DecompressionStream on a Blob)", async () => {
    // The repository keeps R's dosage CSV for the first 1000 SNPs of every individual (test/reference/gwas/pack.sh).
    const g = await readPlinkFiles(gwasRef("data/geno"));
    const viaZlib = await readDosageCsvFile(gwasRef("data/geno.dosage.csv.gz"));
    const viaWeb = await readDosageCsv(new Blob([readFileSync(gwasRef("data/geno.dosage.csv.gz"))]));
    expect(viaZlib.nIndividuals).toBe(1000);
    expect(viaZlib.nSnps).toBe(1000);
    expect(viaZlib.snps.id).toEqual(g.snps.id.slice(0, 1000));
    expect(viaZlib.individuals.iid).toEqual(g.individuals.iid);
    // Typed-array comparisons by hand: element-wise deep equality of 10⁶ entries is slow in the test runner.
    expect(Buffer.compare(Buffer.from(viaWeb.values.buffer), Buffer.from(viaZlib.values.buffer))).toBe(0);
    const a = new Float64Array(1000 * 500), b = new Float64Array(1000 * 500);
    let differing = 0;
    for (let start = 0; start < 1000; start += 500) {
      g.read(start, 500, a);
      viaZlib.read(start, 500, b);
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
    }
    expect(differing).toBe(0);
  });
});

describe("malformed PLINK input gives typed errors naming the culprit", () => {
  it("wrong magic bytes, individual-major mode, empty file", async () => {
    const wrong = tinyBed.slice(); wrong[1] = 0x1c;
    await expect(readPlink({ bed: wrong, bim: tinyBim, fam: tinyFam })).rejects.toThrow(BedMagicError);
    await expect(readPlink({ bed: wrong, bim: tinyBim, fam: tinyFam })).rejects.toThrow(/0x6c 0x1c 0x01/);
    const indMajor = tinyBed.slice(); indMajor[2] = 0x00;
    await expect(readPlink({ bed: indMajor, bim: tinyBim, fam: tinyFam })).rejects.toMatchObject({ mode: "individual-major" });
    await expect(readPlink({ bed: new Uint8Array(0), bim: tinyBim, fam: tinyFam })).rejects.toThrow(BedMagicError);
  });

  it("truncated .bed: the byte offset where data stops and the SNP it cuts into", async () => {
    for (const input of [tinyBed.subarray(0, 6), new Blob([tinyBed.subarray(0, 6)]).stream()]) {
      const err = await readPlink({ bed: input, bim: tinyBim, fam: tinyFam }).catch((e) => e);
      expect(err).toBeInstanceOf(BedTruncatedError);
      expect(err).toMatchObject({ byteOffset: 6, expectedBytes: 9, snpIndex: 1 });
      expect(err.message).toMatch(/byte offset 6/);
    }
    const err = await readPlink({ bed: bed.subarray(0, 2_000_003), bim, fam }).catch((e) => e);
    expect(err).toMatchObject({ byteOffset: 2_000_003, snpIndex: 8000 });
  });

  it(".bim/.fam counts that do not match the .bed size", async () => {
    const extraSnp = tinyBim + "2 d 0 9 A C\n";
    await expect(readPlink({ bed: tinyBed, bim: extraSnp, fam: tinyFam })).rejects.toThrow(BedTruncatedError);
    const fewerSnps = "1 a 0 10 A G\n1 b 0 20 C T\n";
    const err = await readPlink({ bed: tinyBed, bim: fewerSnps, fam: tinyFam }).catch((e) => e);
    expect(err).toBeInstanceOf(BedSizeMismatchError);
    expect(err.message).toMatch(/holds 3 SNPs of 5 individuals/);
    const moreIndividuals = tinyFam + "F6 I6 0 0 1 1\nF7 I7 0 0 1 1\nF8 I8 0 0 1 1\nF9 I9 0 0 1 1\n";
    await expect(readPlink({ bed: tinyBed, bim: tinyBim, fam: moreIndividuals })).rejects.toThrow(BedTruncatedError);
  });

  it("bad .bim and .fam lines", () => {
    expect(() => parseBim("1 a 0 10 A\n")).toThrow(MalformedLineError);
    expect(() => parseBim("1 a 0 10 A G\n1 b 0 x C T\n")).toThrow(/line 2, column 4/);
    const bad = (() => { try { parseBim("1 a 0 10 A G\n1 b 0 20 C,T G\n"); } catch (e) { return e; } })();
    expect(bad).toBeInstanceOf(BadAlleleCodeError);
    expect(bad).toMatchObject({ line: 2, column: "A1", value: "C,T" });
    expect(() => parseBim("1 a 0 10 A A\n")).toThrow(/equal to A1/);
    expect(() => parseBim("1 a 0 10 0 0\n")).not.toThrow(); // both alleles missing is allowed (monomorphic)
    expect(() => parseFam("F1 I1 0 0 1\n")).toThrow(/expected 6 fields/);
    expect(() => parseFam("F1 I1 0 0 1 abc\n")).toThrow(/line 1, column 6/);
  });

  it("bad dosage CSV cells and rows", async () => {
    await expect(readDosageCsv("iid,s1,s2\nI1,0,x\n")).rejects.toThrow(/line 2, column s2: dosage "x"/);
    await expect(readDosageCsv("iid,s1,s2\nI1,0,3\n")).rejects.toThrow(/outside 0..2/);
    await expect(readDosageCsv("iid,s1,s2\nI1,0\n")).rejects.toThrow(/expected 3 fields/);
    const d = await readDosageCsv("iid,s1,s2\r\nI1,0.25,NA\r\nI2,,2\r\n");
    const x = new Float64Array(4);
    d.read(0, 2, x);
    expect(Array.from(x)).toEqual([0.25, NaN, NaN, 2]);
  });
});
