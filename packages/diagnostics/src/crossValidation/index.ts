export { leaveOneLevelOut, type LeaveOneLevelOut, type LeaveOneLevelOutOptions, type HeldOutLevel } from "./loso.js";
export { predictionMetrics, type PredictionMetrics } from "./metrics.js";
