// The panel kernels of the blocked tridiagonalisation (wasmPanel.ts, through the workspace of wasmSymv.ts)
// against the JavaScript loops of tridiagonal.ts they replace: the same numbers to the last bit, rows in pairs
// (an odd last row is left to the caller), any panel column j (0, odd, even, the last).
import { describe, expect, it } from "vitest";
import { Rng } from "@lmm/core/numerics";
import { symvWorkspace, type PanelWorkspace } from "../src/linalg/wasmSymv.js";

const width = 8;

/** A workspace of order n whose panel (rows from matrix row i) holds random V, W in both layouts. */
function setUp(n: number, i: number, rng: Rng) {
  const ws = symvWorkspace(n, 2 * width)!;
  expect(ws).toBeDefined();
  const panel: PanelWorkspace = ws.panel;
  expect(panel.width).toBe(width);
  for (let k = 0; k < n * n; k++) ws.A[k] = rng.normal();
  for (let l = 0; l < n - i; l++) for (let q = 0; q < width; q++) {
    const v = rng.normal(), w = rng.normal();
    panel.V[l * width + q] = v; panel.W[l * width + q] = w;
    panel.Vc[q * panel.ldc + l] = v; panel.Wc[q * panel.ldc + l] = w;
  }
  return { ws, panel };
}

describe("tridiagonalisation panel kernels", () => {
  it("columnUpdate: A[r][c] −= Σ_q V[r][q] W[c][q] + W[r][q] V[c][q], as the JavaScript loop", () => {
    const rng = new Rng(21);
    for (const [n, i] of [[23, 0], [40, 7], [41, 12]]) {
      for (const j of [0, 1, 4, 5, width - 1]) {
        const { ws, panel } = setUp(n, i, rng);
        const c = i + j, pairs = (n - c) >> 1;
        const want = ws.A.slice();
        const V = panel.V, W = panel.W, co = (c - i) * width;
        for (let r = c; r < c + 2 * pairs; r++) {
          const ro = (r - i) * width;
          let s = 0;
          for (let q = 0; q < j; q++) s += V[ro + q] * W[co + q] + W[ro + q] * V[co + q];
          want[r * n + c] -= s;
        }
        panel.columnUpdate(c, c - i, j, pairs);
        let differing = 0;
        for (let k = 0; k < n * n; k++) if (!Object.is(ws.A[k], want[k])) differing++;
        expect(differing, `n ${n}, i ${i}, j ${j}`).toBe(0);
      }
    }
  });

  it("transposedProducts: wv = Wᵀ V[:, j], vv = Vᵀ V[:, j] over the rows from c + 1, in row order", () => {
    const rng = new Rng(22);
    for (const [n, i] of [[23, 0], [40, 7]]) {
      for (const j of [1, 2, 5, width - 1]) {
        const { panel } = setUp(n, i, rng);
        const l1 = j + 1, count = n - i - l1;
        panel.transposedProducts(l1, count, j);
        for (let q = 0; q < j; q++) {
          let wv = 0, vv = 0;
          for (let l = l1; l < l1 + count; l++) { wv += panel.W[l * width + q] * panel.V[l * width + j]; vv += panel.V[l * width + q] * panel.V[l * width + j]; }
          expect(panel.wv[q], `wv[${q}], j ${j}`).toBe(wv);
          expect(panel.vv[q], `vv[${q}], j ${j}`).toBe(vv);
        }
      }
    }
  });

  it("correctedProduct: p[r] = τ (p[r] − V[r]·wv − W[r]·vv) and pv += p[r] V[r][j], as the JavaScript loop", () => {
    const rng = new Rng(23);
    for (const [n, i] of [[23, 0], [40, 7], [41, 12]]) {
      for (const j of [0, 1, 4, width - 1]) {
        const { ws, panel } = setUp(n, i, rng);
        const c1 = i + j + 1, pairs = (n - c1) >> 1, t = rng.normal(), pv0 = rng.normal();
        for (let q = 0; q < width; q++) { panel.wv[q] = rng.normal(); panel.vv[q] = rng.normal(); }
        for (let r = 0; r < n; r++) ws.p[r] = rng.normal();
        const p = ws.p.slice();
        let pv = pv0;
        for (let r = c1; r < c1 + 2 * pairs; r++) {
          const ro = (r - i) * width;
          let s = p[r];
          for (let q = 0; q < j; q++) s -= panel.V[ro + q] * panel.wv[q] + panel.W[ro + q] * panel.vv[q];
          s *= t;
          p[r] = s;
          pv += s * panel.V[ro + j];
        }
        expect(panel.correctedProduct(c1, c1 - i, pairs, j, t, pv0), `pv, n ${n}, j ${j}`).toBe(pv);
        for (let r = 0; r < n; r++) expect(ws.p[r], `p[${r}], n ${n}, j ${j}`).toBe(p[r]);
      }
    }
  });
});
