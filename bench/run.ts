// `pnpm bench [name] [--no-r]`: prints timings and, where R/lme4 is installed, ratios against it.
import { benchCore } from "./core.js";
import { benchArquero } from "./arquero.js";

const args = process.argv.slice(2);
const only = args.find((a) => !a.startsWith("--"));
const withR = !args.includes("--no-r");
benchCore({ only, withR });
await benchArquero({ only, withR, args });
await (await import("./inference.js")).benchInference({ only, withR });
if (!only || ["diagnostics", "influence"].includes(only)) await (await import("./diagnostics.js")).benchDiagnostics({ workers: 2 });
if (!only || only === "sql") await (await import("./sql.js")).benchSql({ rows: [1e6, 1e7, 1e8], withR: withR && (await import("./lme4.js")).hasLme4() });
if (!only || only === "sql" || only === "sql-each") await (await import("./sql.js")).benchSqlEach();
if (!only || only === "browser") await (await import("./browser.js")).benchBrowser({ rows: 1e7 });
// The GWAS bench runs as its own script (it parses its own flags): node --conditions=source --import tsx bench/gwas.ts
