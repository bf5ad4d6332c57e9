export { createPool, type PoolOptions } from "./createPool.js";
export type { WorkerPool } from "./WorkerPool.js";
export type { RunOptions } from "./Run.js";
export { serveTasks } from "./serveTasks.js";
export type { TaskContext, TaskHandler, TaskTable, TaskModule, PayloadOf, ResultOf } from "./tasks.js";
export type { WorkerLike, WebWorkerLike, NodeWorkerLike } from "./endpoint.js";
export { defaultPoolSize } from "./platform.js";
export { WorkerTaskError, WorkerExitedError, WorkerStartError, RunAbortedError, PoolClosedError, type TaskFailure } from "./errors.js";
