// The task module of fitSqlEach's worker pool: one feature's fit from its cells.
import { serveTasks } from "@lmm/core/parallel";
import { fitCellsResult } from "./cells.js";
import type { CellsPayload, CellsResult, CellsShared } from "./types.js";

export default serveTasks({
  fitCells: (payload: CellsPayload, ctx): CellsResult => fitCellsResult(ctx.shared as CellsShared, payload),
});
