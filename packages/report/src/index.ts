export { report, renderInto, type ReportOptions } from "./render.js";
export { reportData, type ReportData, type ReportDataOptions, type ReportModes } from "./data.js";
export { defineReportElement } from "./element.js";
