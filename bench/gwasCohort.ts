// The simulated GWAS cohort of the bench, in memory and as PLINK 1 files for GEMMA and the CLI:
//   node --conditions=source --import tsx bench/gwasCohort.ts DIR N M   writes DIR/cohort.{bed,bim,fam} and DIR/pheno.csv
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "@lmm/core/numerics";
import { DosageMatrix, type IndividualTable, type SnpTable } from "@lmm/genetics";

/**
 * A structured cohort large enough for the speed target: two Balding–Nichols subpopulations, no LD. The SNPs
 * are drawn one at a time and handed to `onSnp` (dosages of A1 for individuals 0..n−1, a reused buffer), so a
 * cohort larger than memory can be written; the phenotype needs only the causal SNPs (every 20th).
 */
function drawCohort(n: number, m: number, seed: number, onSnp: (k: number, column: Float32Array) => void): Float64Array {
  const rng = new Rng(seed);
  const pop = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 0 : 1));
  const causal = Math.ceil(m / 20);
  const beta = new Float64Array(causal);
  const causalColumns = new Float32Array(causal * n);
  const column = new Float32Array(n);
  for (let k = 0; k < m; k++) {
    const p0 = 0.05 + 0.9 * rng.uniform();
    const ps = [p0, Math.min(0.99, Math.max(0.01, p0 + 0.05 * rng.normal()))];
    for (let i = 0; i < n; i++) {
      const p = ps[pop[i]];
      column[i] = (rng.uniform() < p ? 1 : 0) + (rng.uniform() < p ? 1 : 0);
    }
    if (k % 20 === 0) {
      beta[k / 20] = 0.05 * rng.normal();
      causalColumns.set(column, (k / 20) * n);
    }
    onSnp(k, column);
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0.3 * pop[i] + rng.normal();
    for (let c = 0; c < causal; c++) s += beta[c] * causalColumns[c * n + i];
    y[i] = s;
  }
  return y;
}

/** The cohort in memory, as a dense dosage matrix. */
export function simulateCohort(n: number, m: number, seed: number) {
  const values = new Float32Array(n * m);
  const y = drawCohort(n, m, seed, (k, column) => {
    for (let i = 0; i < n; i++) values[i * m + k] = column[i];
  });
  const ids = Array.from({ length: n }, (_, i) => `I${i}`);
  const snps: SnpTable = { chromosome: Array.from({ length: m }, (_, k) => String(1 + Math.floor((10 * k) / m))), id: Array.from({ length: m }, (_, k) => `s${k}`), cm: new Float64Array(m), position: Float64Array.from({ length: m }, (_, k) => k), a1: new Array(m).fill("A"), a2: new Array(m).fill("G") };
  const individuals: IndividualTable = { fid: ids, iid: ids, father: new Array(n).fill("0"), mother: new Array(n).fill("0"), sex: new Int8Array(n), phenotype: y };
  return { g: new DosageMatrix(values, n, m, snps, individuals), y };
}

/**
 * Writes the cohort as PLINK 1 binary files (SNP-major; a dosage d of A1 is stored as 2 − d copies of A2:
 * 00 for d = 2, 10 for 1, 11 for 0), SNP by SNP, with the phenotype in the .fam (GEMMA reads it there) and
 * in pheno.csv.
 */
export function writeCohort(dir: string, n: number, m: number, seed: number): void {
  mkdirSync(dir, { recursive: true });
  const bytesPerSnp = Math.ceil(n / 4);
  const codes = [0b11, 0b10, 0b00];
  const fd = openSync(join(dir, "cohort.bed"), "w");
  try {
    writeSync(fd, Uint8Array.of(0x6c, 0x1b, 0x01));
    const row = new Uint8Array(bytesPerSnp);
    const y = drawCohort(n, m, seed, (_k, column) => {
      row.fill(0);
      for (let i = 0; i < n; i++) row[i >> 2] |= codes[column[i]] << (2 * (i & 3));
      writeSync(fd, row);
    });
    writeFileSync(join(dir, "cohort.fam"), Array.from({ length: n }, (_, i) => `I${i} I${i} 0 0 0 ${y[i]}\n`).join(""));
    writeFileSync(join(dir, "pheno.csv"), "iid,y\n" + Array.from({ length: n }, (_, i) => `I${i},${y[i]}\n`).join(""));
  } finally {
    closeSync(fd);
  }
  writeFileSync(join(dir, "cohort.bim"), Array.from({ length: m }, (_, k) => `${1 + Math.floor((10 * k) / m)}\ts${k}\t0\t${k + 1}\tA\tG\n`).join(""));
}

if (process.argv[1]?.endsWith("gwasCohort.ts")) {
  const [dir, n, m] = process.argv.slice(2);
  writeCohort(dir, Number(n), Number(m), 42);
}
