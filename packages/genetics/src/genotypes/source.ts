import { InvalidArgumentError } from "@lmm/core/errors";
import { allRows, type GenotypeMatrix } from "./types.js";
import { PackedGenotypes } from "./bed.js";
import { DosageMatrix } from "./DosageMatrix.js";

/**
 * Genotypes as plain typed arrays, for sending to workers (structured-clone friendly): the packed `.bed` bytes
 * (without the magic), or dense dosages (individual-major).
 */
export type GenotypeSource =
  | { kind: "packed"; nIndividuals: number; nSnps: number; bytes: Uint8Array }
  | { kind: "dense"; nIndividuals: number; nSnps: number; values: Float32Array };

const DECODE = [2, NaN, 1, 0];
/** Four dosages per .bed byte: BYTE_DOSAGES[4 b + j] is individual j of byte b. */
const BYTE_DOSAGES = Float64Array.from({ length: 1024 }, (_, t) => DECODE[((t >> 2) >> (2 * (t & 3))) & 3]);

/**
 * The worker-ready form of a genotype matrix.
 *
 * @example
 * ```ts
 * const src = genotypeSource(g); // send src to a worker, decode there with readSnps
 * ```
 */
export function genotypeSource(g: GenotypeMatrix): GenotypeSource {
  if (g instanceof PackedGenotypes) return { kind: "packed", nIndividuals: g.nIndividuals, nSnps: g.nSnps, bytes: g.packedBytes() };
  if (g instanceof DosageMatrix) return { kind: "dense", nIndividuals: g.nIndividuals, nSnps: g.nSnps, values: g.values };
  // Any other implementation: materialise dosages (memory 4 bytes a genotype).
  const values = new Float32Array(g.nIndividuals * g.nSnps);
  const col = new Float64Array(g.nIndividuals);
  for (let k = 0; k < g.nSnps; k++) {
    g.read(k, 1, col);
    for (let i = 0; i < g.nIndividuals; i++) values[i * g.nSnps + k] = col[i];
  }
  return { kind: "dense", nIndividuals: g.nIndividuals, nSnps: g.nSnps, values };
}

/** Decodes one SNP of a source for the selected rows into `out` (offset `o`); missing = NaN. */
export function readSnp(src: GenotypeSource, snp: number, rows: Int32Array, out: Float64Array, o: number): void {
  if (!(snp >= 0 && snp < src.nSnps)) throw new InvalidArgumentError("SNP index", snp, `0..${src.nSnps - 1}`);
  const r = rows.length;
  if (src.kind === "packed") {
    const bps = Math.ceil(src.nIndividuals / 4);
    const base = snp * bps;
    const b = src.bytes;
    for (let j = 0; j < r; j++) {
      const i = rows[j];
      out[o + j] = DECODE[(b[base + (i >> 2)] >> ((i & 3) * 2)) & 3];
    }
  } else {
    const m = src.nSnps, v = src.values;
    for (let j = 0; j < r; j++) out[o + j] = v[rows[j] * m + snp];
  }
}

/**
 * Whether `rows` selects every individual of the source in order (then {@link readSnp} may decode whole bytes).
 *
 * @example
 * ```ts
 * allRowsOf(src, Int32Array.of(0, 1, 2)); // true for a source of 3 individuals
 * ```
 */
export function allRowsOf(src: GenotypeSource, rows: Int32Array): boolean {
  if (rows.length !== src.nIndividuals) return false;
  for (let i = 0; i < rows.length; i++) if (rows[i] !== i) return false;
  return true;
}

/**
 * {@link readSnp} for every individual (see {@link allRowsOf}): packed bytes are decoded four dosages at a time.
 *
 * @example
 * ```ts
 * readSnpAllRows(src, 0, out, 0); // out[0 … n − 1] = dosages of SNP 0
 * ```
 */
export function readSnpAllRows(src: GenotypeSource, snp: number, out: Float64Array, o: number): void {
  if (src.kind !== "packed") return readSnp(src, snp, allRows(src.nIndividuals), out, o);
  if (!(snp >= 0 && snp < src.nSnps)) throw new InvalidArgumentError("SNP index", snp, `0..${src.nSnps - 1}`);
  const n = src.nIndividuals, full = n >> 2;
  const base = snp * ((n + 3) >> 2), b = src.bytes;
  for (let k = 0; k < full; k++, o += 4) {
    const t = 4 * b[base + k];
    out[o] = BYTE_DOSAGES[t]; out[o + 1] = BYTE_DOSAGES[t + 1]; out[o + 2] = BYTE_DOSAGES[t + 2]; out[o + 3] = BYTE_DOSAGES[t + 3];
  }
  for (let i = 4 * full, t = 4 * b[base + full]; i < n; i++, o++) out[o] = BYTE_DOSAGES[t + (i & 3)];
}
