// Worker module of the LMM scan for the @lmm/core worker pool (see createScanPool): scan blocks, and before the
// scan bands of the relationship matrix, half of the tridiagonal eigenproblem and parts of its eigenvectors'
// back-transformation.
import { serveTasks, type TaskContext } from "@lmm/core/parallel";
import { grmBand, type GrmShared } from "../grm/grmBand.js";
import type { PackedProductJob } from "../linalg/divideConquer.js";
import type { Tridiagonal } from "../linalg/tridiagonal.js";
import type { ScanShared } from "./scanTask.js";

// The relationship matrix's bands come first and need little code, so a worker starts with that alone and is
// ready sooner; the eigen-decomposition's and the scan's modules (the distributions with them) load on the
// `load` task, which lmmScan sends while the workers would otherwise wait for the tridiagonalisation, or at
// the first task that needs them.
let later: Promise<[typeof import("../linalg/symmetricEigen.js"), typeof import("../linalg/divideConquer.js"), typeof import("./scanTask.js")]> | undefined;
const loadLater = () => (later ??= Promise.all([import("../linalg/symmetricEigen.js"), import("../linalg/divideConquer.js"), import("./scanTask.js")]));

export default serveTasks({
  /** Nothing: a pool starts its workers (loading this module) by running it, before the real work is ready. */
  ready: () => true,
  /** Loads the modules of the tasks below, ahead of them. */
  load: async () => { await loadLater(); return true; },
  lmmBlock: async (snps: Int32Array, ctx: TaskContext<ScanShared>) => (await loadLater())[2].scanSnps(ctx.shared, snps),
  grmBand: (panels: [number, number], ctx: TaskContext<GrmShared>) => {
    const out = grmBand(ctx.shared, panels, (f) => ctx.progress(f));
    ctx.transfer(out.sum.buffer);
    return out;
  },
  tridiagonalHalf: async (half: { d: Float64Array; e: Float64Array }, ctx: TaskContext<unknown>) => {
    const Q = (await loadLater())[1].tridiagonalEigen(half.d, half.e);
    ctx.transfer(Q.buffer);
    return { d: half.d, Q };
  },
  packedProduct: async (job: PackedProductJob, ctx: TaskContext<unknown>) => {
    const C = (await loadLater())[1].packedProduct(job);
    ctx.transfer(C.buffer);
    return C;
  },
  backTransform: async (rows: Float64Array, ctx: TaskContext<Pick<Tridiagonal, "n" | "tau" | "a">>) => {
    (await loadLater())[0].backTransformRows(ctx.shared, rows, rows.length / ctx.shared.n);
    ctx.transfer(rows.buffer);
    return rows;
  },
});
