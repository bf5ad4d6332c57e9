import { InvalidArgumentError } from "@lmm/core";
import { qchisq, qnorm } from "@lmm/core/numerics";

/** Association results, one entry per SNP (columnar): chromosome, base-pair position, p-value, SNP id. */
export interface GwasInput {
  chromosome: ArrayLike<string | number>;
  position: ArrayLike<number>;
  p: ArrayLike<number>;
  snp?: readonly string[];
}

/** One SNP placed on the genome-wide axis. */
export interface ManhattanRow {
  snp: string;
  chromosome: string;
  position: number;
  /** Position on the concatenated genome axis. */
  x: number;
  p: number;
  logp: number;
  /** Chromosome index (alternating colours). */
  index: number;
}

/** A chromosome's span on the genome axis. */
export interface ChromosomeSpan {
  chromosome: string;
  start: number;
  end: number;
  middle: number;
}

/**
 * SNPs on one axis: chromosomes in natural order (1, 2, …, 10, …, X), each shifted past the previous one's
 * last position plus a small gap; SNPs with p outside (0, 1] are left out.
 *
 * @example
 * ```ts
 * genomeAxis({ chromosome: [1, 2], position: [100, 50], p: [0.5, 1e-9] }).rows[1].x; // 100 + gap + 50
 * ```
 */
export function genomeAxis(input: GwasInput): { rows: ManhattanRow[]; spans: ChromosomeSpan[] } {
  const n = input.p.length;
  if (input.chromosome.length !== n || input.position.length !== n) {
    throw new InvalidArgumentError("GWAS columns", `${input.chromosome.length} chromosomes, ${input.position.length} positions, ${n} p-values`, "one of each per SNP");
  }
  const chromosomes = [...new Set(Array.from(input.chromosome, String))].sort(naturalCompare);
  const max = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const c = String(input.chromosome[i]);
    max.set(c, Math.max(max.get(c) ?? 0, input.position[i]));
  }
  const total = [...max.values()].reduce((s, v) => s + v, 0);
  const gap = total * 0.01;
  const offset = new Map<string, number>();
  const spans: ChromosomeSpan[] = [];
  let at = 0;
  for (const c of chromosomes) {
    offset.set(c, at);
    spans.push({ chromosome: c, start: at, end: at + max.get(c)!, middle: at + max.get(c)! / 2 });
    at += max.get(c)! + gap;
  }
  const index = new Map(chromosomes.map((c, i) => [c, i]));
  const rows: ManhattanRow[] = [];
  for (let i = 0; i < n; i++) {
    const p = input.p[i];
    if (!(p > 0 && p <= 1)) continue;
    const c = String(input.chromosome[i]);
    rows.push({ snp: input.snp ? input.snp[i] : String(i + 1), chromosome: c, position: input.position[i], x: offset.get(c)! + input.position[i], p, logp: -Math.log10(p), index: index.get(c)! });
  }
  return { rows, spans };
}

/**
 * Chromosome names in natural order: numbers numerically, then the rest alphabetically.
 *
 * @example
 * ```ts
 * ["X", "10", "2"].sort(naturalCompare); // ["2", "10", "X"]
 * ```
 */
export function naturalCompare(a: string, b: string): number {
  const x = Number(a), y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  if (Number.isFinite(x)) return -1;
  if (Number.isFinite(y)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Genomic-control inflation λGC = median χ²₁ of the p-values / qchisq(0.5, 1), with the χ²₁ quantile of p
 * computed as qnorm(p/2)² (exact in the far tail), over p in (0, 1].
 *
 * @example
 * ```ts
 * lambdaGC([0.5, 0.5, 0.5]); // 1
 * ```
 */
export function lambdaGC(p: ArrayLike<number>): number {
  const chi: number[] = [];
  for (let i = 0; i < p.length; i++) if (p[i] > 0 && p[i] <= 1) chi.push(qnorm(p[i] / 2) ** 2);
  if (chi.length === 0) return NaN;
  chi.sort((a, b) => a - b);
  const m = chi.length >> 1;
  const median = chi.length % 2 ? chi[m] : (chi[m - 1] + chi[m]) / 2;
  return median / qchisq(0.5, 1);
}

/** One point of a p-value Q-Q plot. */
export interface PvalueQqRow {
  series: string;
  snp: string;
  expected: number;
  observed: number;
}

/**
 * −log10 p sorted against its expectation under the null, −log10((i − 0.5)/n).
 *
 * @example
 * ```ts
 * pvalueQqRows("LMM", [0.01, 0.5, 0.9]);
 * ```
 */
export function pvalueQqRows(series: string, p: ArrayLike<number>, snp?: readonly string[]): PvalueQqRow[] {
  const idx = Array.from({ length: p.length }, (_, i) => i).filter((i) => p[i] > 0 && p[i] <= 1);
  idx.sort((a, b) => p[a] - p[b]);
  const n = idx.length;
  return idx.map((i, r) => ({ series, snp: snp ? snp[i] : String(i + 1), expected: -Math.log10((r + 0.5) / n), observed: -Math.log10(p[i]) }));
}
