import { InvalidArgumentError } from "@lmm/core";
import type { GenotypeMatrix } from "./types.js";
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
