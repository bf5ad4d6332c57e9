import { BlockSparse, Dense, UniformBlockDiagonal } from "./linalg/Dense.js";
import type { BlockedSystem } from "./BlockedSystem.js";

// Where the entries of the blocked system's A go in the two-block Schur factor. Computed once per
// design; an evaluation then only copies and scales.

/** Copies `source[src[i]]` to position `dst[i]` of a target. */
export interface Gather {
  source: Float64Array;
  src: Int32Array;
  dst: Int32Array;
}

/** A gather into a dense n × n target, with each entry's row and column (for scaling by Λ). */
export interface PlacedGather extends Gather {
  row: Int32Array;
  col: Int32Array;
}

/**
 * S's pattern (scalar rows in T's numbering, the first factor's k columns per level) and where its
 * values come from: per level of the first factor, the rows of every later factor that meets it,
 * then the p + 1 rows of [X y] — ascending, as the sparse rank update requires. `offsets` are the
 * later factors' first rows in T; `fixedAt` is X's.
 */
export function schurColumns(system: BlockedSystem, offsets: number[], fixedAt: number): { S: BlockSparse; gathers: Gather[] } {
  const { reterms, A, m, p } = system;
  const first = reterms[0];
  const k0 = first.k, n0 = first.nLevels;
  const colPtr = new Int32Array(n0 + 1);
  const rows: number[] = [];
  const srcs: number[][] = reterms.map(() => []);
  const dsts: number[][] = reterms.map(() => []);
  for (let c = 0; c < n0; c++) {
    for (let i = 1; i < m; i++) {
      const a = A[i][0] as BlockSparse, ki = reterms[i].k, o = offsets[i - 1];
      for (let x = a.colPtr[c]; x < a.colPtr[c + 1]; x++) {
        for (let r = 0; r < ki; r++) {
          for (let t = 0; t < k0; t++) {
            srcs[i].push((x * ki + r) * k0 + t);
            dsts[i].push(rows.length * k0 + t);
          }
          rows.push(o + a.rowIdx[x] * ki + r);
        }
      }
    }
    for (let r = 0; r <= p; r++) {
      for (let t = 0; t < k0; t++) {
        srcs[0].push(r * first.q + c * k0 + t);
        dsts[0].push(rows.length * k0 + t);
      }
      rows.push(fixedAt + r);
    }
    colPtr[c + 1] = rows.length;
  }
  const S = new BlockSparse(1, k0, fixedAt + p + 1, n0, colPtr, Int32Array.from(rows));
  const gathers = reterms.map((_, i) => ({
    source: i === 0 ? (A[m][0] as Dense).data : (A[i][0] as BlockSparse).values,
    src: Int32Array.from(srcs[i]),
    dst: Int32Array.from(dsts[i]),
  }));
  return { S, gathers };
}

/** Where each stored entry of A₂₂ (the blocks right of and below the first factor) lands in T's lower triangle. */
export function trailingGathers(system: BlockedSystem, offsets: number[], fixedAt: number): PlacedGather[] {
  const { A, m, p } = system;
  const n = fixedAt + p + 1;
  const out: PlacedGather[] = [];
  const place = (i: number) => (i < m ? offsets[i - 1] : fixedAt);
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= i; j++) {
      const a = A[i][j], src: number[] = [], row: number[] = [], col: number[] = [];
      const oi = place(i), oj = place(j);
      if (a instanceof UniformBlockDiagonal) {
        const k = a.k;
        for (let l = 0; l < a.blocks; l++) {
          for (let r = 0; r < k; r++) {
            for (let c = 0; c <= r; c++) {
              src.push(l * k * k + r * k + c);
              row.push(oi + l * k + r);
              col.push(oi + l * k + c);
            }
          }
        }
      } else if (a instanceof BlockSparse) {
        const { kr, kc } = a;
        for (let bc = 0; bc < a.blockCols; bc++) {
          for (let x = a.colPtr[bc]; x < a.colPtr[bc + 1]; x++) {
            for (let r = 0; r < kr; r++) {
              for (let c = 0; c < kc; c++) {
                src.push((x * kr + r) * kc + c);
                row.push(oi + a.rowIdx[x] * kr + r);
                col.push(oj + bc * kc + c);
              }
            }
          }
        }
      } else {
        const d = a as Dense, lower = i === j;
        for (let r = 0; r < d.rows; r++) {
          for (let c = 0; c < (lower ? r + 1 : d.cols); c++) {
            src.push(r * d.cols + c);
            row.push(oi + r);
            col.push(oj + c);
          }
        }
      }
      out.push({
        source: a instanceof BlockSparse ? a.values : a.data,
        src: Int32Array.from(src),
        dst: Int32Array.from(row, (r, x) => r * n + col[x]),
        row: Int32Array.from(row),
        col: Int32Array.from(col),
      });
    }
  }
  return out;
}
