export { qq, qqResiduals, qqRanef, type QQData, type QQDiagnostics, type QQOptions, type QQResidualType } from "./qq.js";
export { andersonDarling, andersonDarlingPValue, shapiroFrancia, type NormalityTest } from "./normality.js";
export { ppoints, normalScores, quartileLine, sortedQuantile, sortOrder } from "./quantiles.js";
