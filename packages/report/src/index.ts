export { report, renderInto, type ReportOptions } from "./render.js";
export { reportHtml } from "./standalone.js";
export { reportData, type ReportData, type ReportDataOptions, type ReportDdf, type ReportModes } from "./data.js";
export { defineReportElement } from "./element.js";
// How the report prints numbers, for prose that must show the same digits.
export { formatNumber, formatPValue, significanceStars } from "./format.js";
