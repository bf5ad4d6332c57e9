import type { ByteInput } from "./byteStream.js";
import { byteChunks, knownSize, readText } from "./byteStream.js";
import { parseBim } from "./bim.js";
import { parseFam } from "./fam.js";
import { PackedGenotypes, bedExpectedSize, checkBedMagic, checkBedSize } from "./bed.js";

/** The three parts of a PLINK 1 binary fileset, each as text or bytes (Blob, File, stream, buffer). */
export interface PlinkInput {
  bed: ByteInput;
  bim: ByteInput | string;
  fam: ByteInput | string;
}

/**
 * Reads a PLINK 1 binary fileset (SNP-major `.bed`, `.bim`, `.fam`). The `.bed` is streamed into a buffer of
 * exactly the size that the `.bim`/`.fam` promise, checked as it arrives: magic bytes first, then the size
 * (truncation reported with the byte offset where the data stops, extra bytes as a size mismatch;
 * extra bytes of a stream are counted, not stored).
 * Memory: the packed `.bed` bytes plus the annotation tables.
 *
 * @example
 * ```ts
 * const g = await readPlink({ bed: bedFile, bim: bimText, fam: famText }); // e.g. Files from an <input>
 * g.nSnps; g.snps.id[0];
 * ```
 */
export async function readPlink(input: PlinkInput): Promise<PackedGenotypes> {
  const { snps } = parseBim(await readText(input.bim), ".bim");
  const individuals = parseFam(await readText(input.fam), ".fam");
  const nSnps = snps.id.length;
  const n = individuals.iid.length;
  const expected = bedExpectedSize(nSnps, n);
  const size = knownSize(input.bed);
  if (size !== undefined && size >= 3 && size !== expected) {
    // Check the magic first so that a wrong file is reported as such, not as a size problem.
    const head = await firstBytes(input.bed, 3);
    checkBedMagic(head);
    checkBedSize(size, nSnps, n);
  }
  const buffer = new Uint8Array(expected);
  let filled = 0;
  let total = 0;
  for await (const chunk of byteChunks(input.bed)) {
    const take = Math.min(chunk.length, expected - filled);
    if (take > 0) buffer.set(chunk.subarray(0, take), filled);
    const before = filled;
    filled += take;
    total += chunk.length;
    if (before < 3 && filled >= 3) checkBedMagic(buffer.subarray(0, 3));
  }
  if (filled < 3) checkBedMagic(buffer.subarray(0, filled));
  checkBedSize(total, nSnps, n);
  return new PackedGenotypes(buffer, snps, individuals);
}

async function firstBytes(input: ByteInput, count: number): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return input.subarray(0, count);
  if (input instanceof ArrayBuffer) return new Uint8Array(input, 0, Math.min(count, input.byteLength));
  return new Uint8Array(await (input as Blob).slice(0, count).arrayBuffer());
}
