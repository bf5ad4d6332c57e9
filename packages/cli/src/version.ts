import { readFileSync } from "node:fs";

/** The version of @lmm/cli, read from its package.json (beside both src/ and dist/). */
export function cliVersion(): string {
  return (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
}
