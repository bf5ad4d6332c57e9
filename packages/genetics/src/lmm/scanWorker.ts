// Worker module of the LMM scan for the @lmm/core worker pool (see createScanPool): scan blocks, and before the
// scan bands of the relationship matrix, half of the tridiagonal eigenproblem and parts of its eigenvectors'
// back-transformation.
import { serveTasks, type TaskContext } from "@lmm/core/parallel";
import { grmBand, type GrmShared } from "../grm/grmBand.js";
import { backTransformRows } from "../linalg/symmetricEigen.js";
import { packedProduct, tridiagonalEigen, type PackedProductJob } from "../linalg/divideConquer.js";
import type { Tridiagonal } from "../linalg/tridiagonal.js";
import { scanSnps, type ScanShared } from "./scanTask.js";

export default serveTasks({
  /** Nothing: a pool starts its workers (loading this module) by running it, before the real work is ready. */
  ready: () => true,
  lmmBlock: (snps: Int32Array, ctx: TaskContext<ScanShared>) => scanSnps(ctx.shared, snps),
  grmBand: (panels: [number, number], ctx: TaskContext<GrmShared>) => {
    const out = grmBand(ctx.shared, panels, (f) => ctx.progress(f));
    ctx.transfer(out.sum.buffer);
    return out;
  },
  tridiagonalHalf: (half: { d: Float64Array; e: Float64Array }, ctx: TaskContext<unknown>) => {
    const Q = tridiagonalEigen(half.d, half.e);
    ctx.transfer(Q.buffer);
    return { d: half.d, Q };
  },
  packedProduct: (job: PackedProductJob, ctx: TaskContext<unknown>) => {
    const C = packedProduct(job);
    ctx.transfer(C.buffer);
    return C;
  },
  backTransform: (rows: Float64Array, ctx: TaskContext<Pick<Tridiagonal, "n" | "tau" | "a">>) => {
    backTransformRows(ctx.shared, rows, rows.length / ctx.shared.n);
    ctx.transfer(rows.buffer);
    return rows;
  },
});
