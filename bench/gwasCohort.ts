// The simulated GWAS cohort of the bench, in memory and as PLINK 1 files for GEMMA and the CLI:
//   node --conditions=source --import tsx bench/gwasCohort.ts DIR N M   writes DIR/cohort.{bed,bim,fam} and DIR/pheno.csv
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "@lmm/core/numerics";
import { DosageMatrix, type IndividualTable, type SnpTable } from "@lmm/genetics";

// A structured cohort large enough for the speed target: two Balding–Nichols subpopulations, no LD.
export function simulateCohort(n: number, m: number, seed: number) {
  const rng = new Rng(seed);
  const values = new Float32Array(n * m);
  const pop = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 0 : 1));
  const beta = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const p0 = 0.05 + 0.9 * rng.uniform();
    const ps = [p0, Math.min(0.99, Math.max(0.01, p0 + 0.05 * rng.normal()))];
    for (let i = 0; i < n; i++) {
      const p = ps[pop[i]];
      values[i * m + k] = (rng.uniform() < p ? 1 : 0) + (rng.uniform() < p ? 1 : 0);
    }
    if (k % 20 === 0) beta[k] = 0.05 * rng.normal();
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0.3 * pop[i] + rng.normal();
    for (let k = 0; k < m; k += 20) s += beta[k] * values[i * m + k];
    y[i] = s;
  }
  const ids = Array.from({ length: n }, (_, i) => `I${i}`);
  const snps: SnpTable = { chromosome: Array.from({ length: m }, (_, k) => String(1 + Math.floor((10 * k) / m))), id: Array.from({ length: m }, (_, k) => `s${k}`), cm: new Float64Array(m), position: Float64Array.from({ length: m }, (_, k) => k), a1: new Array(m).fill("A"), a2: new Array(m).fill("G") };
  const individuals: IndividualTable = { fid: ids, iid: ids, father: new Array(n).fill("0"), mother: new Array(n).fill("0"), sex: new Int8Array(n), phenotype: y };
  return { g: new DosageMatrix(values, n, m, snps, individuals), y };
}


/**
 * Writes the cohort as PLINK 1 binary files (SNP-major; a dosage d of A1 is stored as 2 − d copies of A2:
 * 00 for d = 2, 10 for 1, 11 for 0) with the phenotype in the .fam (GEMMA reads it there) and in pheno.csv.
 */
export function writeCohort(dir: string, n: number, m: number, seed: number): void {
  const { g, y } = simulateCohort(n, m, seed);
  mkdirSync(dir, { recursive: true });
  const bytesPerSnp = Math.ceil(n / 4);
  const bed = new Uint8Array(3 + m * bytesPerSnp);
  bed.set([0x6c, 0x1b, 0x01]);
  const codes = [0b11, 0b10, 0b00];
  const { values } = g;
  for (let k = 0; k < m; k++) {
    const at = 3 + k * bytesPerSnp;
    for (let i = 0; i < n; i++) bed[at + (i >> 2)] |= codes[values[i * m + k]] << (2 * (i & 3));
  }
  writeFileSync(join(dir, "cohort.bed"), bed);
  writeFileSync(join(dir, "cohort.bim"), Array.from({ length: m }, (_, k) => `${1 + Math.floor((10 * k) / m)}\ts${k}\t0\t${k + 1}\tA\tG\n`).join(""));
  writeFileSync(join(dir, "cohort.fam"), Array.from({ length: n }, (_, i) => `I${i} I${i} 0 0 0 ${y[i]}\n`).join(""));
  writeFileSync(join(dir, "pheno.csv"), "iid,y\n" + Array.from({ length: n }, (_, i) => `I${i},${y[i]}\n`).join(""));
}

if (process.argv[1]?.endsWith("gwasCohort.ts")) {
  const [dir, n, m] = process.argv.slice(2);
  writeCohort(dir, Number(n), Number(m), 42);
}
