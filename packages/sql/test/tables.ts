// Test data: seeded tables with crossed, nested and categorical structure, loaded into an SQL
// engine as they are (nulls included), and compared with the in-memory fit of the same rows.
import { Rng } from "@lmm/core/numerics";
import type { DataColumns } from "@lmm/core";
import type { SqlDialect } from "../src/index.js";
import { duckdbEngine, type DuckdbEngine } from "../src/duckdb/index.js";

/** Rows with a response, two numeric covariates, text and boolean factors, crossed and nested groups. */
export function cellTable(n: number, seed: number, options: { missing?: boolean } = {}): Record<string, unknown[]> {
  const rng = new Rng(seed);
  const patient = Array.from({ length: 40 }, () => rng.normal() * 1.5);
  const batch = Array.from({ length: 7 }, () => rng.normal());
  const site = Array.from({ length: 5 }, () => rng.normal() * 0.8);
  const slope = Array.from({ length: 40 }, () => rng.normal() * 0.4);
  const out: Record<string, unknown[]> = { y: [], x: [], t: [], f: [], h: [], ok: [], patient: [], batch: [], site: [], slide: [] };
  for (let i = 0; i < n; i++) {
    const p = rng.int(40), b = rng.int(7), s = p % 5, sl = rng.int(3);
    const x = rng.uniform() * 4 + 0.5, t = rng.int(6);
    const f = ["ctrl", "low", "high"][rng.int(3)];
    const ok = rng.uniform() < 0.5;
    const y = 10 + 1.2 * x + (f === "high" ? 0.8 : f === "low" ? -0.3 : 0) + 0.2 * t + (ok ? 0.5 : 0) + patient[p] + slope[p] * x + batch[b] + site[s] + 0.3 * sl + rng.normal();
    out.y.push(y);
    out.x.push(x);
    out.t.push(t);
    out.f.push(f);
    out.h.push(t % 3);
    out.ok.push(ok);
    out.patient.push(`P${String(p).padStart(2, "0")}`);
    out.batch.push(b + 1);
    out.site.push(`S${s}`);
    out.slide.push(`L${sl}`);
  }
  if (options.missing) {
    for (let i = 3; i < n; i += 17) out.x[i] = null;
    for (let i = 5; i < n; i += 29) out.patient[i] = null;
    for (let i = 7; i < n; i += 31) out.y[i] = NaN;
  }
  return out;
}

/** CREATE TABLE … AS VALUES …: the columns as they are (text, numbers, booleans, NULL and NaN). */
export function createTableSql(name: string, data: Record<string, unknown[]>, d: SqlDialect): string {
  const names = Object.keys(data);
  const n = data[names[0]].length;
  const literal = (v: unknown) =>
    v === null || v === undefined ? "NULL" : typeof v === "string" ? d.text(v) : typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : Number.isNaN(v) ? d.double(NaN).replace("'NaN'", "'nan'") : d.double(v as number);
  const rows: string[] = [];
  for (let i = 0; i < n; i++) rows.push(`(${names.map((c) => literal(data[c][i])).join(", ")})`);
  return `CREATE TABLE ${d.identifier(name)} AS SELECT * FROM (VALUES ${rows.join(", ")}) AS v(${names.map(d.identifier).join(", ")})`;
}

/** The table as in-memory columns (NaN kept, null kept): what `lmm` reads. */
export function columns(data: Record<string, unknown[]>): DataColumns {
  return data as DataColumns;
}

/** An in-memory DuckDB engine holding the given tables (name → columns). */
export async function engineWith(tables: Record<string, Record<string, unknown[]>>): Promise<DuckdbEngine> {
  const engine = await duckdbEngine();
  for (const [name, data] of Object.entries(tables)) await engine.run(createTableSql(name, data, engine.dialect));
  return engine;
}
