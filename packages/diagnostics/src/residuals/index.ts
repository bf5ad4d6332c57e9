export { residualDiagnostics, type ResidualDiagnostics } from "./residuals.js";
export { residualTrend, type ResidualTrend, type ResidualTrendOptions, type TrendTest } from "./trend.js";
export { loessCurve, type SmoothCurve } from "./loess.js";
export { lowess, type LowessOptions } from "./lowess.js";
