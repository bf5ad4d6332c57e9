// Reading tables
export { readCsv } from "./io/csv/readCsv.js";
export { readCsvColumns, type ReadCsvOptions } from "./io/csv/readCsvColumns.js";
export { CsvTable, type CsvFormat, type CsvLayout } from "./io/csv/CsvTable.js";
export type { CsvColumn, CsvColumnKind, CsvCell } from "./io/csv/typing.js";
export { checkFormulaColumns } from "./io/csv/checkFormulaColumns.js";
export { rewriteCsv } from "./io/csv/rewriteCsv.js";
export { MISSING_TOKENS } from "./io/csv/cells.js";
export { csvEncoding, utf8Checker, type CsvEncoding } from "./io/csv/decode.js";
export { CsvEncodingError, CsvSyntaxError, CsvHeaderError, CsvFieldCountError, CsvValueError, ColumnSchemaError } from "./io/csv/errors.js";
export { parseColumnSchema, schemaLevels, schemaOrdered, COLUMN_TYPES, type ColumnSchema, type ColumnSchemaEntry } from "./io/schema.js";
export { tableColumns, dictionaryLevels } from "./io/columns.js";
export { readArrow, asTable, type ArrowTableLike, type TableInput } from "./io/arrow.js";
export { readParquet, parquetToArrowIPC, type ReadParquetOptions } from "./io/parquet.js";
export { selectColumns } from "./io/select.js";
// One model: fit and broom.mixed's verbs
export { fit } from "./verbs/fit.js";
export { tidy, type TidyOptions, type TidyEffect, type TidyConf } from "./verbs/tidy.js";
export { glance } from "./verbs/glance.js";
export { augment, type AugmentOptions } from "./verbs/augment.js";
export { ranPars, type RanPar, type RanParsScale } from "./verbs/ranpars.js";
// One model per feature
export { fitEach, type FitEachOptions, type FitEachResult } from "./each/fitEach.js";
export { createFitEachPool, type FitEachPool } from "./each/pool.js";
export { featureFormula, FormulaTemplateError, FEATURE_PLACEHOLDER } from "./each/template.js";
export type { FeatureFit, FeatureFixef, FeatureBootstrap, FeatureError } from "./each/types.js";
// Missing data
export { missingData, type MissingReport } from "./missing/report.js";
export { formulaColumns, type ColumnRole } from "./missing/roles.js";
