import { InvalidArgumentError } from "@lmm/core/errors";
import type { GenotypeMatrix, IndividualTable, SnpTable } from "./types.js";

/**
 * Dosages held densely as 32-bit floats, individual-major (`values[i * nSnps + k]`), NaN = missing.
 * Single precision keeps memory at most twice the size of the CSV text it came from, and represents
 * imputed dosages with three or more decimals without loss that matters.
 *
 * @example
 * ```ts
 * const g = new DosageMatrix(Float32Array.of(0, 1, 2, 1), 2, 2, snps, individuals);
 * ```
 */
export class DosageMatrix implements GenotypeMatrix {
  constructor(
    readonly values: Float32Array,
    readonly nIndividuals: number,
    readonly nSnps: number,
    readonly snps: SnpTable,
    readonly individuals: IndividualTable,
  ) {
    if (values.length < nIndividuals * nSnps) throw new InvalidArgumentError("values.length", values.length, `at least ${nIndividuals * nSnps}`);
  }

  read(start: number, count: number, out: Float64Array, rows?: Int32Array): void {
    if (!(start >= 0 && count >= 0 && start + count <= this.nSnps)) {
      throw new InvalidArgumentError("SNP range", `${start}..${start + count}`, `within 0..${this.nSnps}`);
    }
    const m = this.nSnps;
    const v = this.values;
    const r = rows ? rows.length : this.nIndividuals;
    for (let j = 0; j < r; j++) {
      const base = (rows ? rows[j] : j) * m + start;
      for (let k = 0; k < count; k++) out[k * r + j] = v[base + k];
    }
  }
}

/** SNP table for SNPs known only by id (chromosome "0", position 0, alleles unknown). */
export function anonymousSnps(ids: string[]): SnpTable {
  const m = ids.length;
  return {
    chromosome: new Array<string>(m).fill("0"),
    id: ids,
    cm: new Float64Array(m),
    position: new Float64Array(m),
    a1: new Array<string>(m).fill("1"),
    a2: new Array<string>(m).fill("2"),
  };
}

/** Individual table for individuals known only by id (FID = IID, no parents, sex unknown, no phenotype). */
export function anonymousIndividuals(ids: string[]): IndividualTable {
  const n = ids.length;
  return {
    fid: ids.slice(),
    iid: ids,
    father: new Array<string>(n).fill("0"),
    mother: new Array<string>(n).fill("0"),
    sex: new Int8Array(n),
    phenotype: new Float64Array(n).fill(NaN),
  };
}
