export { observationInfluence, type ObservationInfluence } from "./observation.js";
export { clusterInfluence, type ClusterInfluence, type ClusterInfluenceLevel, type ClusterInfluenceOptions } from "./cluster.js";
export { lme4CooksDistance, lme4Dfbetas } from "./clusterMeasures.js";
export { createDeletionPool, type DeletionPool, type DeletionRunOptions, type RefitStart, varianceComponents, varianceComponentNames, UnknownGroupingError, DataMismatchError } from "../caseDeletion/index.js";
