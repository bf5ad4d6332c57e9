// Worker module of the LMM scan for the @lmm/core worker pool (see createScanPool): scan blocks, and bands of
// the relationship matrix computed before the scan.
import { serveTasks, type TaskContext } from "@lmm/core/parallel";
import { grmBand, type GrmShared } from "../grm/grmBand.js";
import { scanSnps, type ScanShared } from "./scanTask.js";

export default serveTasks({
  lmmBlock: (snps: Int32Array, ctx: TaskContext<ScanShared>) => scanSnps(ctx.shared, snps),
  grmBand: (panels: [number, number], ctx: TaskContext<GrmShared>) => {
    const out = grmBand(ctx.shared, panels, (f) => ctx.progress(f));
    ctx.transfer(out.sum.buffer);
    return out;
  },
});
