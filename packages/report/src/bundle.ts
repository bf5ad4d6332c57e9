// Entry of the standalone bundle `lmm-report.js`: importing it registers <lmm-report>.
import { defineReportElement } from "./element.js";

defineReportElement();
export { report, reportData, defineReportElement } from "./index.js";
