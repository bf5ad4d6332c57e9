import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { lmm } from "@lmm/core";
import { duckdbWasmEngine, fitSql, type DuckdbWasmConnection } from "../src/index.js";
import { cellTable, columns, createTableSql } from "./tables.js";
import { expectSameFit } from "./sameFit.js";

// DuckDB-wasm's own build for Node (the blocking bindings over the same wasm the browser loads): the
// adapter reads its Arrow answers (Int64, Decimal sums, Utf8, Bool) into the fit's columns.
const require = createRequire(import.meta.url);

describe("DuckDB-wasm engine", () => {
  it("fits as the in-memory fit", async () => {
    const entry = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs");
    const duckdb = require(entry);
    const dist = dirname(entry);
    const bundles = {
      mvp: { mainModule: join(dist, "duckdb-mvp.wasm"), mainWorker: join(dist, "duckdb-node-mvp.worker.cjs") },
      eh: { mainModule: join(dist, "duckdb-eh.wasm"), mainWorker: join(dist, "duckdb-node-eh.worker.cjs") },
    };
    const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
    await db.instantiate(() => {});
    const connection = db.connect() as DuckdbWasmConnection & { query(sql: string): unknown };
    const engine = duckdbWasmEngine(connection);
    const data = cellTable(1200, 53, { missing: true });
    await engine.query(createTableSql("cells", data, engine.dialect));
    for (const formula of ["y ~ x * f + ok + (x | patient) + (1 | batch)", "y ~ factor(h) + log(x) + (1 | site/patient)"]) {
      const mem = lmm(formula, columns(data));
      const fit = await fitSql(engine, { table: "cells" }, formula);
      expect(fit.droppedRows.count).toBe(mem.droppedRows.count);
      await expectSameFit((o) => fitSql(engine, { table: "cells" }, formula, o), mem);
    }
  });
});
