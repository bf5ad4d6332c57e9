// Phases of the symmetric eigen-decomposition on one thread (not run by CI), in CPU seconds so that a loaded
// machine still compares: tridiagonalisation, divide and conquer, whole (the rest is the back-transformation),
// and the residual |Ku − λu| of a few eigenpairs of a random GRM-like matrix.
//   node --conditions=source --import tsx bench/eigenPhases.ts [n]
import { tridiagonalise } from "../packages/genetics/src/linalg/tridiagonal.ts";
import { tridiagonalEigen } from "../packages/genetics/src/linalg/divideConquer.ts";
import { symmetricEigen } from "../packages/genetics/src/linalg/symmetricEigen.ts";
const n = Number(process.argv[2] ?? 2000);
const m = 500;
let s = 1;
const rnd = () => { s = (s * 16807) % 2147483647; return s / 2147483647 - 0.5; };
const X = new Float64Array(n * m).map(rnd);
const K = new Float64Array(n * n);
for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { let a = 0; for (let p = 0; p < m; p++) a += X[i*m+p]*X[j*m+p]; K[i*n+j] = K[j*n+i] = a / m + (i===j?0.1:0); }
const cpu = (c: NodeJS.CpuUsage) => (process.cpuUsage(c).user / 1e6).toFixed(2);
let c = process.cpuUsage();
const tr = tridiagonalise(K.slice(), n);
console.log("tridiag cpu", cpu(c));
c = process.cpuUsage();
tridiagonalEigen(tr.d.slice(), tr.e.slice());
console.log("dc cpu", cpu(c));
c = process.cpuUsage();
const { values, vectors } = symmetricEigen(K, n);
console.log("total cpu", cpu(c));
let worst = 0;
for (const j of [0, 1, n >> 1, n - 1]) { for (let i = 0; i < n; i++) { let a = 0; for (let q = 0; q < n; q++) a += K[i*n+q]*vectors[j*n+q]; worst = Math.max(worst, Math.abs(a - values[j]*vectors[j*n+i])); } }
console.log("residual", worst.toExponential(2));
