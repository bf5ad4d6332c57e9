import { choleskyUnblocked, solvePanel } from "./cholesky.js";
import type { SimdKernels } from "./wasm/simdKernels.js";

/** Panel width: even (the SIMD kernel pairs the depth) and small enough to stay in cache. */
const PANEL = 48;

/**
 * The blocked right-looking Cholesky factorisation of `choleskyInPlace`, with the trailing update
 * (nearly all the flops) in a WebAssembly f64x2 kernel. The matrix is copied into the kernel's
 * memory, factored there, and its lower triangle copied back.
 */
export function choleskySimd(k: SimdKernels, a: Float64Array, n: number, stride: number, offset: number): boolean {
  const panelAt = n * n;
  const mem = k.doubles(panelAt + n * PANEL);
  for (let r = 0; r < n; r++) mem.set(a.subarray(offset + r * stride, offset + r * stride + r + 1), r * n);
  for (let k0 = 0; k0 < n; k0 += PANEL) {
    const k1 = Math.min(n, k0 + PANEL), w = k1 - k0;
    if (!choleskyUnblocked(mem, w, n, k0 * n + k0)) return false;
    solvePanel(mem, n, n, 0, k0, k1);
    for (let i = k1; i < n; i++) {
      const ri = i * n + k0;
      const pr = panelAt + (i - k1) * PANEL;
      mem.set(mem.subarray(ri, ri + w), pr);
      if (w < PANEL) mem.fill(0, pr + w, pr + PANEL);
    }
    trailing(k, mem, n, n - k1, k1, panelAt, w);
  }
  for (let r = 0; r < n; r++) a.set(mem.subarray(r * n, r * n + r + 1), offset + r * stride);
  return true;
}

/** C[i][j] −= P_i · P_j for j ≤ i over the m trailing rows: full 2 × 4 tiles in WebAssembly, the edge here. */
function trailing(k: SimdKernels, mem: Float64Array, n: number, m: number, k1: number, panelAt: number, w: number): void {
  const base = k1 * n + k1;
  const depth = (w + (w & 1)) * 8;
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const jEnd = Math.floor((i + 2) / 4) * 4;
    if (jEnd > 0) k.syrk24(panelAt * 8, PANEL * 8, base * 8, n * 8, i, jEnd, depth);
    for (let r = i; r <= i + 1; r++) for (let j = jEnd; j <= r; j++) mem[base + r * n + j] -= dot(mem, panelAt + r * PANEL, panelAt + j * PANEL, w);
  }
  if (i < m) for (let j = 0; j <= i; j++) mem[base + i * n + j] -= dot(mem, panelAt + i * PANEL, panelAt + j * PANEL, w);
}

function dot(v: Float64Array, x: number, y: number, w: number): number {
  let s = 0;
  for (let t = 0; t < w; t++) s += v[x + t] * v[y + t];
  return s;
}
