// Phases of `lmm gwas` on one thread in CPU seconds (not run by CI), so that a loaded machine still compares:
// reading, GRM, centring, tridiagonalisation, divide and conquer, back-transformation, null model, and the
// scan split into the rotation Uᵀ X and the per-SNP work.
//   node --conditions=source --import tsx bench/gwasPhases.ts PLINK-PREFIX PHENO-CSV   (e.g. from bench/gwasCohort.ts)
import { readFileSync } from "node:fs";
import { computeGrm, fitNullModel, GEMMA_SEARCH, genotypeSource, meanImpute, ScanKernel, type ScanSetup } from "../packages/genetics/src/index.ts";
import { readPlinkFiles } from "../packages/genetics/src/node.ts";
import { centerMatrix, kinshipEigen, rotateColumns } from "../packages/genetics/src/lmm/prepare.ts";
import { tridiagonalise } from "../packages/genetics/src/linalg/tridiagonal.ts";
import { tridiagonalEigen } from "../packages/genetics/src/linalg/divideConquer.ts";
import { readSnp } from "../packages/genetics/src/genotypes/source.ts";

const [prefix, phenoFile] = process.argv.slice(2);
let c = process.cpuUsage();
const lap = (label: string) => { const u = process.cpuUsage(c); console.log(`${label.padEnd(28)} ${((u.user + u.system) / 1e6).toFixed(2)} s cpu`); c = process.cpuUsage(); };
const g = await readPlinkFiles(prefix);
const y = Float64Array.from(readFileSync(phenoFile, "utf8").trim().split("\n").slice(1), (l) => Number(l.split(",")[1]));
const n = g.nIndividuals;
lap("read");
const K = (await computeGrm(g)).values;
lap("GRM");
centerMatrix(K, n);
lap("centre");
const t = tridiagonalise(K.slice(), n);
lap("tridiagonalise (alone)");
tridiagonalEigen(t.d.slice(), t.e.slice());
lap("divide & conquer (alone)");
const { eigen, traceG } = await kinshipEigen(K, n);
lap("eigen total");
const base = rotateColumns(eigen.vectors, n, [new Float64Array(n).fill(1), y]);
const nullModel = fitNullModel({ n, c: 1, s: eigen.values, vectors: base }, traceG, GEMMA_SEARCH);
lap("null model");
const setup: ScanSetup = { n, c: 1, eigenvalues: eigen.values, eigenvectors: eigen.vectors, rotatedBase: base, lambdaMl: nullModel.lambdaMl, lambdaReml: nullModel.lambdaReml, logLikMl: nullModel.logLikMl, search: GEMMA_SEARCH, mode: "exact" };
const kernel = new ScanKernel(setup);
lap("scan kernel set-up");
const src = genotypeSource(g), rows = Int32Array.from({ length: n }, (_, i) => i);
const B = 256, blocks: Float64Array[] = [];
for (let s = 0; s < g.nSnps; s += B) {
  const count = Math.min(B, g.nSnps - s), d = new Float64Array(count * n);
  for (let k = 0; k < count; k++) readSnp(src, s + k, rows, d, k * n);
  meanImpute(d, count, n, new Float64Array(count), new Int32Array(count));
  blocks.push(d);
}
lap("decode + impute");
for (const d of blocks) kernel.rotate({ dosages: d, count: d.length / n });
lap("rotation alone");
for (const d of blocks) kernel.run({ dosages: d, count: d.length / n });
lap("scan (rotation + per SNP)");
