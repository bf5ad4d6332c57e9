export { readCsv, type ReadCsvOptions } from "./io/csv.js";
export { parseColumnSchema, schemaLevels, type ColumnSchema, type ColumnSchemaEntry } from "./io/schema.js";
export { tableColumns } from "./io/columns.js";
