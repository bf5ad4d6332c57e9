export { createDeletionPool, type DeletionPool } from "./deletionPool.js";
export type { DeletionRunOptions } from "./runDeletions.js";
export type { RefitStart } from "./deletionTask.js";
export { varianceComponents, varianceComponentNames } from "./varianceComponents.js";
export { UnknownGroupingError, DataMismatchError } from "./errors.js";
