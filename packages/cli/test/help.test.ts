// `lmm`, `lmm --help`, `lmm help <command>`, `lmm <command> --help` and `lmm --version`: every command and
// every flag is printed, from the same flag specs the commands parse with.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { main } from "../src/index.js";
import { commands } from "../src/commands/index.js";
import { COMMON_FLAGS } from "../src/help.js";

async function run(...argv: string[]) {
  let stdout = "", stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const version = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version as string;

describe("lmm help", () => {
  it("lmm with no arguments prints the usage on stderr and exits 2", async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^lmm \d+\.\d+\.\d+: /);
    expect(r.stderr).toContain("usage: lmm <command> [flags]");
    for (const c of commands) expect(r.stderr).toMatch(new RegExp(`^  ${c.name} +${escape(c.summary)}$`, "m"));
  });

  it("lmm --help, -h and help print the same overview on stdout and exit 0", async () => {
    const overview = (await run("--help")).stdout;
    for (const argv of [["--help"], ["-h"], ["help"]]) {
      const r = await run(...argv);
      expect(r.code, argv.join(" ")).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(overview);
    }
    for (const c of commands) expect(overview).toContain(`  ${c.name}`);
    for (const name of Object.keys(COMMON_FLAGS)) expect(overview).toContain(`--${name}`);
  });

  for (const entry of commands) {
    it(`${entry.name}: help <command>, <command> --help and <command> -h print its usage and every flag`, async () => {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      const text = (await run("help", entry.name)).stdout;
      for (const argv of [["help", entry.name], [entry.name, "--help"], [entry.name, "-h"], [entry.name, "--data", "x.csv", "--help"]]) {
        const r = await run(...argv);
        expect(r.code, argv.join(" ")).toBe(0);
        expect(r.stderr).toBe("");
        expect(r.stdout).toBe(text);
      }
      expect(text).toContain(`lmm ${entry.name}: ${entry.summary}`);
      expect(text).toContain(`usage: lmm ${entry.name} `);
      const flags = { ...command.flags, ...COMMON_FLAGS };
      for (const [name, flag] of Object.entries(flags)) {
        expect(flag.help.trim(), name).not.toBe("");
        expect(text).toMatch(new RegExp(`^  --${escape(name)}\\b`, "m"));
        // The help text of the flag, wrapped over lines, follows it.
        expect(text.replace(/\n +/g, " ")).toContain(flag.help);
      }
      // The synopsis names no flag the command does not take.
      const synopsis = command.usage.split("\n\n")[0];
      for (const [flag] of synopsis.matchAll(/--[a-z][a-z-]*/g)) expect(Object.keys(flags), `${entry.name} synopsis: ${flag}`).toContain(flag.slice(2));
    });
  }

  it("an unknown command, or help on one, is one line and exit code 2", async () => {
    for (const argv of [["fitt"], ["help", "fitt"], ["--data", "x.csv"]]) {
      const r = await run(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/unknown command .*the commands are fit, /);
    }
  });

  it("lmm --version prints the package's version", async () => {
    for (const flag of ["--version", "-v"]) {
      const r = await run(flag);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`lmm ${version}\n`);
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
