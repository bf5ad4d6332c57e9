// Worker module of the parametric bootstrap for the core worker pool (see bootstrap.ts).
import { serveTasks } from "../parallel/serveTasks.js";
import type { TaskContext } from "../parallel/tasks.js";
import { bootstrapRefit, type BootstrapShared } from "./bootstrapTask.js";

export default serveTasks({
  refit: (index: number, ctx: TaskContext<BootstrapShared>) => bootstrapRefit(ctx.shared, index),
});
