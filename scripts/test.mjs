// Runs the whole test suite, then prints one plain summary line ("N passed, N failed")
// that CI reads; the exit code is vitest's.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, existsSync } from "node:fs";

// The browser tests drive Debian's Chromium (never a downloaded browser); install it if absent.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.log(`${chromium} not found: installing Debian's chromium package for the browser tests`);
  const apt = spawnSync("sh", ["-c", "(apt-get update -qq && apt-get install -y -qq chromium) || (sudo apt-get update -qq && sudo apt-get install -y -qq chromium)"], { stdio: "inherit" });
  if (apt.status !== 0) console.log("could not install chromium; the browser tests will fail (set CHROMIUM_PATH to a Chromium binary)");
}

// The distributed-engine test starts two private ClickHouse servers; install Debian's if absent.
const clickhouse = process.env.CLICKHOUSE_SERVER ?? "/usr/sbin/clickhouse-server";
if (!existsSync(clickhouse)) {
  console.log(`${clickhouse} not found: installing Debian's clickhouse-server for the distributed-engine test`);
  const apt = spawnSync("sh", ["-c", "(apt-get update -qq && apt-get install -y -qq clickhouse-server clickhouse-client) || (sudo apt-get update -qq && sudo apt-get install -y -qq clickhouse-server clickhouse-client)"], { stdio: "inherit" });
  if (apt.status !== 0) console.log("could not install clickhouse-server; the ClickHouse test will fail (set CLICKHOUSE_SERVER to its binary)");
}

mkdirSync("test-results", { recursive: true });
const out = "test-results/vitest.json";
const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...process.argv.slice(2)];
const run = spawnSync("pnpm", ["exec", ...args], { stdio: "inherit" });
let passed = 0, failed = 0;
if (existsSync(out)) {
  const report = JSON.parse(readFileSync(out, "utf8"));
  passed = report.numPassedTests;
  failed = report.numFailedTests + (report.numFailedTestSuites ?? 0);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status ?? 1);
