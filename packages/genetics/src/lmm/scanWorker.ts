// Worker module of the LMM scan for the @lmm/core worker pool (see createScanPool).
import { serveTasks, type TaskContext } from "@lmm/core/parallel";
import { scanSnps, type ScanShared } from "./scanTask.js";

export default serveTasks({
  lmmBlock: (snps: Int32Array, ctx: TaskContext<ScanShared>) => scanSnps(ctx.shared, snps),
});
