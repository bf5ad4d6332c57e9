// Worker module of case-deletion refits for the @lmm/core worker pool (see createDeletionPool).
import { serveTasks, type TaskContext } from "@lmm/core/parallel";
import { refitWithout, type DeletionPayload, type DeletionShared } from "./deletionTask.js";

export default serveTasks({
  refitWithout: (payload: DeletionPayload, ctx: TaskContext<DeletionShared>) => refitWithout(ctx.shared, payload),
});
