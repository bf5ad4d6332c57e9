import type { GenotypeMatrix } from "../genotypes/types.js";
import { symmetricEigen } from "../linalg/symmetricEigen.js";
import { computeGrm, type GrmKind, type Kinship } from "./grm.js";

/** Leading principal components of a relationship matrix. */
export interface PrincipalComponents {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Unit eigenvectors (one array of length n per component), same order; signs are arbitrary. */
  vectors: Float64Array[];
}

/**
 * The top `k` eigenvectors of a relationship matrix, as plink2 `--pca` computes them (by default from the
 * variance-standardised GRM of the given individuals, exact eigen-decomposition).
 *
 * @example
 * ```ts
 * const pcs = await principalComponents(genotypes, { k: 10 });
 * pcs.values[0]; pcs.vectors[0][17];
 * ```
 */
export async function principalComponents(
  g: GenotypeMatrix,
  options: { k?: number; kind?: GrmKind; rows?: Int32Array; kinship?: Kinship; minMaf?: number; maxMissing?: number; signal?: AbortSignal } = {},
): Promise<PrincipalComponents> {
  const K = options.kinship ?? (await computeGrm(g, { kind: options.kind ?? "standardized", rows: options.rows, minMaf: options.minMaf, maxMissing: options.maxMissing, signal: options.signal }));
  return topEigenvectors(K.values, K.n, options.k ?? 10);
}

/** Top-k eigenpairs of a symmetric matrix (row-major n × n), largest first. */
export function topEigenvectors(A: Float64Array, n: number, k: number): PrincipalComponents {
  const { values, vectors } = symmetricEigen(A, n);
  const kk = Math.min(k, n);
  const out: Float64Array[] = [];
  const vals = new Float64Array(kk);
  for (let r = 0; r < kk; r++) {
    const j = n - 1 - r;
    vals[r] = values[j];
    out.push(vectors.slice(j * n, (j + 1) * n));
  }
  return { values: vals, vectors: out };
}
