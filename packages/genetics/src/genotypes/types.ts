/**
 * SNP annotations, one entry per SNP in file order (`.bim` columns). Columnar: one array per field.
 * The counted (effect) allele is `a1`: dosages everywhere in this package are copies of A1.
 *
 * @example
 * ```ts
 * const { snps } = parseBim("1 rs1 0 1000 A G\n");
 * snps.id[0]; // "rs1"
 * ```
 */
export interface SnpTable {
  readonly chromosome: string[];
  readonly id: string[];
  /** Genetic position (centimorgans, `.bim` column 3). */
  readonly cm: Float64Array;
  /** Base-pair position. */
  readonly position: Float64Array;
  readonly a1: string[];
  readonly a2: string[];
}

/**
 * Individuals in file order (`.fam` columns). Sex: 1 male, 2 female, 0 unknown. Phenotype NaN when missing (-9 or NA).
 *
 * @example
 * ```ts
 * const fam = parseFam("F1 I1 0 0 1 2.5\n");
 * fam.iid[0]; // "I1"
 * ```
 */
export interface IndividualTable {
  readonly fid: string[];
  readonly iid: string[];
  readonly father: string[];
  readonly mother: string[];
  readonly sex: Int8Array;
  readonly phenotype: Float64Array;
}

/**
 * A genotype matrix of `nIndividuals` × `nSnps` A1 dosages that can be read in blocks of SNPs.
 * Implementations keep the data compactly (2 bits a genotype for PLINK files) and decode on demand,
 * so memory stays proportional to the input.
 *
 * @example
 * ```ts
 * const out = new Float64Array(g.nIndividuals * 8);
 * g.read(0, 8, out); // SNPs 0..7, SNP-major: out[k * g.nIndividuals + i]; NaN = missing
 * ```
 */
export interface GenotypeMatrix {
  readonly nIndividuals: number;
  readonly nSnps: number;
  readonly snps: SnpTable;
  readonly individuals: IndividualTable;
  /**
   * Writes the dosages of SNPs `start … start+count-1` into `out`, SNP-major
   * (`out[k * rows.length + r]` is SNP `start+k` of individual `rows[r]`); missing calls are NaN.
   * `rows` (default: all individuals in order) selects and orders individuals.
   */
  read(start: number, count: number, out: Float64Array, rows?: Int32Array): void;
}

/**
 * Row selection covering every individual, in order.
 *
 * @example
 * ```ts
 * allRows(3); // Int32Array [0, 1, 2]
 * ```
 */
export function allRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}
