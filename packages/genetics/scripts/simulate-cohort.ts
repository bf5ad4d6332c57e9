// Simulates the small example cohort shipped in packages/genetics/data/ for the GWAS notebook:
// population structure (Balding–Nichols subpopulations), families (relatives share chromosome segments),
// a quantitative trait with a few causal SNPs, a polygenic background, a confounding subpopulation shift
// and a sex effect. Deterministic: everything draws from one seeded Rng.
//
//   node --conditions=source --import tsx packages/genetics/scripts/simulate-cohort.ts [outDir]
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "@lmm/core/numerics";

const config = {
  seed: 20250611,
  nChromosomes: 5,
  snpsPerChromosome: 600,
  chromosomeMb: 100,
  fst: 0.05,
  subpopFractions: [0.45, 0.35, 0.2],
  nuclearFamilies: 30, // two parents + two children
  sibPairs: 20,
  nIndividuals: 600,
  causalVariance: [0.05, 0.04, 0.03, 0.02, 0.015],
  polygenicSnps: 300,
  polygenicVariance: 0.3,
  subpopShift: [0, 0.3, -0.3],
  sexEffect: 0.3,
  noiseVariance: 0.4,
  minMaf: 0.01,
};

const rng = new Rng(config.seed);
const outDir = process.argv[2] ?? join(import.meta.dirname, "..", "data");

// ---- random variates -------------------------------------------------------------------------------
function gamma(shape: number): number {
  if (shape < 1) return gamma(shape + 1) * Math.pow(rng.uniform() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do { x = rng.normal(); v = 1 + c * x; } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
const beta = (a: number, b: number) => { const x = gamma(a); return x / (x + gamma(b)); };
function poisson(mean: number): number {
  let k = 0, p = Math.exp(-mean), s = p;
  const u = rng.uniform();
  while (u > s) { k++; p *= mean / k; s += p; }
  return k;
}

// ---- genome and allele frequencies -----------------------------------------------------------------
const extra = 1.03; // simulate a few more, drop rare ones, thin to the target
const perChr = Math.ceil(config.snpsPerChromosome * extra);
const chr: number[] = [], pos: number[] = [];
for (let c = 1; c <= config.nChromosomes; c++) {
  const ps = Array.from({ length: perChr }, () => 1 + Math.floor(rng.uniform() * config.chromosomeMb * 1e6)).sort((a, b) => a - b);
  for (const p of ps) { chr.push(c); pos.push(p); }
}
const M = chr.length;
const K = config.subpopFractions.length;
const ancestral = Float64Array.from({ length: M }, () => 0.05 + 0.9 * rng.uniform());
const freq: Float64Array[] = Array.from({ length: K }, () => new Float64Array(M));
const f = config.fst;
for (let j = 0; j < M; j++) for (let k = 0; k < K; k++) freq[k][j] = beta((ancestral[j] * (1 - f)) / f, ((1 - ancestral[j]) * (1 - f)) / f);

// ---- individuals: founders, families ---------------------------------------------------------------
type Haplotypes = [Uint8Array, Uint8Array];
interface Person { subpop: number; sex: 1 | 2; hap: Haplotypes; family: string; role: string }
const founder = (subpop: number, sex: 1 | 2, family: string, role: string): Person => {
  const h = (): Uint8Array => Uint8Array.from({ length: M }, (_, j) => (rng.uniform() < freq[subpop][j] ? 1 : 0));
  return { subpop, sex, hap: [h(), h()], family, role };
};
// One gamete: per chromosome start on a random haplotype, switch at Poisson(1 Morgan) crossovers (Haldane).
const gamete = (p: Person): Uint8Array => {
  const g = new Uint8Array(M);
  let j = 0;
  for (let c = 1; c <= config.nChromosomes; c++) {
    const n = poisson(config.chromosomeMb / 100);
    const cuts = Array.from({ length: n }, () => rng.uniform() * config.chromosomeMb * 1e6).sort((a, b) => a - b);
    let h = rng.int(2), next = 0;
    for (; j < M && chr[j] === c; j++) {
      while (next < cuts.length && cuts[next] < pos[j]) { h = 1 - h; next++; }
      g[j] = p.hap[h][j];
    }
  }
  return g;
};
const child = (mother: Person, father: Person, family: string): Person =>
  ({ subpop: mother.subpop, sex: rng.uniform() < 0.5 ? 1 : 2, hap: [gamete(mother), gamete(father)], family, role: "child" });
const pickSubpop = () => {
  const u = rng.uniform();
  let acc = 0;
  for (let k = 0; k < K; k++) { acc += config.subpopFractions[k]; if (u < acc) return k; }
  return K - 1;
};
const people: Person[] = [];
const pairs: { a: number; b: number; relationship: string; kinship: number }[] = [];
for (let fam = 0; fam < config.nuclearFamilies; fam++) {
  const s = pickSubpop(), id = `F${fam + 1}`;
  const mother = founder(s, 2, id, "mother"), father = founder(s, 1, id, "father");
  const base = people.length;
  people.push(mother, father, child(mother, father, id), child(mother, father, id));
  pairs.push({ a: base, b: base + 2, relationship: "parent-offspring", kinship: 0.25 }, { a: base, b: base + 3, relationship: "parent-offspring", kinship: 0.25 },
    { a: base + 1, b: base + 2, relationship: "parent-offspring", kinship: 0.25 }, { a: base + 1, b: base + 3, relationship: "parent-offspring", kinship: 0.25 },
    { a: base + 2, b: base + 3, relationship: "full-sib", kinship: 0.25 });
}
for (let sp = 0; sp < config.sibPairs; sp++) {
  const s = pickSubpop(), id = `S${sp + 1}`;
  const mother = founder(s, 2, id, "parent"), father = founder(s, 1, id, "parent");
  const base = people.length;
  people.push(child(mother, father, id), child(mother, father, id));
  pairs.push({ a: base, b: base + 1, relationship: "full-sib", kinship: 0.25 });
}
while (people.length < config.nIndividuals) people.push(founder(pickSubpop(), rng.uniform() < 0.5 ? 1 : 2, "0", "unrelated"));
const n = people.length;

// ---- SNP filter and thinning -----------------------------------------------------------------------
const dosage = (i: number, j: number) => people[i].hap[0][j] + people[i].hap[1][j]; // copies of allele "1" = A1
const af = Float64Array.from({ length: M }, (_, j) => { let s = 0; for (let i = 0; i < n; i++) s += dosage(i, j); return s / (2 * n); });
let keep = Array.from({ length: M }, (_, j) => j).filter((j) => Math.min(af[j], 1 - af[j]) >= config.minMaf);
const target = config.nChromosomes * config.snpsPerChromosome;
while (keep.length > target) keep.splice(rng.int(keep.length), 1);
const m = keep.length;

// ---- phenotype --------------------------------------------------------------------------------------
const variance = (v: Float64Array) => { const mu = v.reduce((a, b) => a + b, 0) / v.length; return v.reduce((a, b) => a + (b - mu) ** 2, 0) / (v.length - 1); };
const causalPositions: number[] = [];
for (let c = 0; c < config.causalVariance.length; c++) {
  // One causal SNP per chromosome (cycling), pooled MAF ≥ 0.1.
  const onChr = keep.map((j, p) => ({ j, p })).filter(({ j }) => chr[j] === 1 + (c % config.nChromosomes) && Math.min(af[j], 1 - af[j]) >= 0.1);
  causalPositions.push(onChr[rng.int(onChr.length)].p);
}
const causalBeta = causalPositions.map((p, c) => {
  const q = af[keep[p]];
  return (rng.uniform() < 0.5 ? -1 : 1) * Math.sqrt(config.causalVariance[c] / (2 * q * (1 - q)));
});
const others = Array.from({ length: m }, (_, p) => p).filter((p) => !causalPositions.includes(p));
const polygenic: number[] = [];
while (polygenic.length < config.polygenicSnps) {
  const p = others[rng.int(others.length)];
  if (!polygenic.includes(p)) polygenic.push(p);
}
const gMajor = new Float64Array(n), gPoly = new Float64Array(n);
causalPositions.forEach((p, c) => { for (let i = 0; i < n; i++) gMajor[i] += causalBeta[c] * dosage(i, keep[p]); });
const polyRaw = polygenic.map(() => rng.normal());
polygenic.forEach((p, c) => { for (let i = 0; i < n; i++) gPoly[i] += polyRaw[c] * dosage(i, keep[p]); });
const polyScale = Math.sqrt(config.polygenicVariance / variance(gPoly));
for (let i = 0; i < n; i++) gPoly[i] *= polyScale;
const y = new Float64Array(n);
for (let i = 0; i < n; i++) {
  y[i] = gMajor[i] + gPoly[i] + config.subpopShift[people[i].subpop] + config.sexEffect * (people[i].sex === 1 ? 1 : 0) + Math.sqrt(config.noiseVariance) * rng.normal();
}

// ---- write (individuals in random order) -----------------------------------------------------------
const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
const iid = (rank: number) => `C${String(rank + 1).padStart(4, "0")}`;
const idOf = new Map(order.map((i, rank) => [i, iid(rank)]));
const snpId = (p: number) => `rs${String(p + 1).padStart(5, "0")}`;
const alleles = ["A", "C", "G", "T"];
const bim = keep.map((j, p) => {
  const a1 = rng.int(4);
  const a2 = (a1 + 1 + rng.int(3)) % 4;
  return `${chr[j]}\t${snpId(p)}\t0\t${pos[j]}\t${alleles[a1]}\t${alleles[a2]}`;
});
const fam = order.map((i, rank) => `${iid(rank)} ${iid(rank)} 0 0 ${people[i].sex} ${y[i].toFixed(6)}`);
const bps = Math.ceil(n / 4);
const bed = new Uint8Array(3 + m * bps);
bed.set([0x6c, 0x1b, 0x01]);
const CODE = [3, 2, 0]; // dosage of A1 → PLINK 2-bit code (11 hom A2, 10 het, 00 hom A1)
keep.forEach((j, p) => {
  order.forEach((i, rank) => { bed[3 + p * bps + (rank >> 2)] |= CODE[dosage(i, j)] << ((rank & 3) * 2); });
});
const pheno = ["iid,y,sex", ...order.map((i, rank) => `${iid(rank)},${y[i].toFixed(6)},${people[i].sex === 1 ? 1 : 0}`)];
const vy = variance(y);
const gTotal = Float64Array.from({ length: n }, (_, i) => gMajor[i] + gPoly[i]);
const truth = {
  config,
  n, m,
  subpopulationSizes: Array.from({ length: K }, (_, k) => people.filter((p) => p.subpop === k).length),
  relativePairs: pairs.length,
  relatives: pairs.map(({ a, b, relationship, kinship }) => ({ id1: idOf.get(a), id2: idOf.get(b), relationship, kinship })),
  causal: causalPositions.map((p, c) => ({ snp: snpId(p), chr: chr[keep[p]], pos: pos[keep[p]], af: af[keep[p]], beta: causalBeta[c], varianceDesigned: config.causalVariance[c] })),
  polygenicSnps: polygenic.map(snpId),
  realised: { varY: vy, h2Snp: variance(gTotal) / vy, causalShare: variance(gMajor) / vy, polygenicShare: variance(gPoly) / vy },
  subpopulation: Object.fromEntries(order.map((i, rank) => [iid(rank), people[i].subpop])),
};
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "cohort.bed"), bed);
writeFileSync(join(outDir, "cohort.bim"), bim.join("\n") + "\n");
writeFileSync(join(outDir, "cohort.fam"), fam.join("\n") + "\n");
writeFileSync(join(outDir, "cohort.pheno.csv"), pheno.join("\n") + "\n");
writeFileSync(join(outDir, "cohort.truth.json"), JSON.stringify(truth, null, 1) + "\n");
console.log(`wrote ${n} individuals × ${m} SNPs to ${outDir} (h² ${truth.realised.h2Snp.toFixed(3)})`);
