import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lmm } from "@lmm/core";
import { clickhouseEngine, fitSql, type SqlFit } from "../src/index.js";
import { duckdbEngine, type DuckdbEngine } from "../src/duckdb/index.js";
import { execute, startCluster, type ClickhouseCluster } from "./clickhouseCluster.js";
import { cellTable, columns, createTableSql } from "./tables.js";
import { expectSameFit } from "./sameFit.js";

// The same generated SQL on a distributed engine: a Distributed table over two ClickHouse shards
// (each holding half the rows), DuckDB over all rows, and the in-memory fit must agree.
const COLUMNS = "y Float64, x Nullable(Float64), t Int64, f String, h Int64, patient Nullable(String), batch Int64, site String, slide String";

function tsv(data: Record<string, unknown[]>, names: string[], from: number, to: number): string {
  const cell = (v: unknown) => (v === null ? "\\N" : typeof v === "number" && Number.isNaN(v) ? "nan" : String(v));
  const lines: string[] = [];
  for (let i = from; i < to; i++) lines.push(names.map((c) => cell(data[c][i])).join("\t"));
  return lines.join("\n") + "\n";
}

describe("ClickHouse, two shards behind a Distributed table", () => {
  let cluster: ClickhouseCluster;
  let duck: DuckdbEngine;
  const data = cellTable(2000, 31, { missing: true });
  const names = COLUMNS.split(", ").map((c) => c.split(" ")[0]);
  const rows = Object.fromEntries(names.map((c) => [c, data[c]]));
  beforeAll(async () => {
    cluster = await startCluster();
    for (const [s, url] of cluster.urls.entries()) {
      await execute(url, `CREATE TABLE cells_local (${COLUMNS}) ENGINE = Memory`);
      const half = data.y.length / 2;
      await execute(url, `INSERT INTO cells_local FORMAT TabSeparated\n${tsv(data, names, s * half, (s + 1) * half)}`);
    }
    await execute(cluster.urls[0], "CREATE TABLE cells AS cells_local ENGINE = Distributed(two, default, cells_local)");
    duck = await duckdbEngine();
    await duck.run(createTableSql("cells", rows, duck.dialect));
  }, 120_000);
  afterAll(async () => {
    duck?.close();
    await cluster?.stop();
  });

  const formulas = [
    "y ~ x + (1 | patient) + (1 | batch)",
    "y ~ x * f + factor(h) + (x | patient) + (1 | slide)",
    "y ~ log(x) + I(x^2) + t + (1 | site/patient)",
    // Bases learned by the cluster (order statistics for the knots, poly's recurrence), and an offset.
    "y ~ ns(x, df = 4) + f + offset(t / 2) + (1 | patient)",
    "y ~ poly(x, 3) + scale(t) + (1 | patient) + (1 | batch)",
    "y ~ bs(x, knots = c(1.5, 3)) * f + (1 | patient)",
  ];
  for (const formula of formulas) {
    it(formula, async () => {
      const mem = lmm(formula, columns(rows));
      const engine = clickhouseEngine({ url: cluster.urls[0] });
      const local = clickhouseEngine({ url: cluster.urls[1] });
      const clickhouse = await fitSql(engine, { table: "cells" }, formula);
      const duckdb = await fitSql(duck, { table: "cells" }, formula);
      // Each shard holds half the rows: the cluster read them all, and dropped what the others dropped.
      const half: SqlFit = await fitSql(local, { table: "cells_local" }, formula);
      expect(half.nRows).toBe(1000);
      expect(clickhouse.nRows).toBe(2000);
      expect(clickhouse.droppedRows).toEqual(duckdb.droppedRows);
      expect(clickhouse.droppedRows.count).toBe(mem.droppedRows.count);
      await expectSameFit((o) => fitSql(engine, { table: "cells" }, formula, o), mem);
      await expectSameFit((o) => fitSql(duck, { table: "cells" }, formula, o), mem);
      expect(Math.abs(clickhouse.estimates.objective - duckdb.estimates.objective) / Math.abs(duckdb.estimates.objective)).toBeLessThan(1e-10);
    });
  }
});
