import type { Command, CommandIo } from "./command.js";
import { commands, type CommandEntry } from "./commands/index.js";
import { commandHelpText, overviewText } from "./help.js";
import { progressLine, type ProgressLine } from "./progress/progressLine.js";
import { cliVersion } from "./version.js";

/** How the process around `main` looks. */
export interface MainOptions {
  /** Standard error is a terminal: progress is shown unless `--quiet` (default false). */
  terminal?: boolean;
}

/**
 * Runs `lmm <command> ...args` and resolves to the exit code: 0 on success, 2 for bad input (one line on
 * stderr naming the culprit). `lmm`, `lmm --help`, `lmm help <command>`, `lmm <command> --help` and
 * `lmm --version` print usage and version; `--progress` and `--quiet` decide whether `io.progress` is set.
 *
 * @example
 * ```ts
 * const code = await main(["fit", "--data", "sleepstudy.csv", "--formula", "Reaction ~ Days + (Days | Subject)", "--json"], {
 *   stdout: (text) => process.stdout.write(text),
 *   stderr: (text) => process.stderr.write(text),
 * });
 * ```
 */
export async function main(argv: string[], io: CommandIo, options: MainOptions = {}): Promise<number> {
  const { args, help, progress, quiet } = takeCommonFlags(argv);
  const [name, ...rest] = args;
  if (name === undefined) {
    if (help) return print(io.stdout, overviewText(commands, cliVersion()), 0);
    return print(io.stderr, overviewText(commands, cliVersion()), 2);
  }
  if (name === "--version" || name === "-v") return print(io.stdout, `lmm ${cliVersion()}\n`, 0);
  if (name === "help") {
    if (rest[0] === undefined) return print(io.stdout, overviewText(commands, cliVersion()), 0);
    const entry = find(rest[0]);
    if (!entry) return print(io.stderr, unknownCommand(rest[0]), 2);
    return print(io.stdout, commandHelpText(await entry.load(), entry.summary), 0);
  }
  const entry = find(name);
  if (!entry) return print(io.stderr, unknownCommand(name), 2);
  const command: Command = await entry.load();
  if (help) return print(io.stdout, commandHelpText(command, entry.summary), 0);

  const line: ProgressLine | null = !quiet && !io.progress && (progress || options.terminal) ? progressLine(command.name, io.stderr, { terminal: options.terminal ?? false }) : null;
  const commandIo: CommandIo = { stdout: io.stdout, stderr: io.stderr, progress: quiet ? undefined : (io.progress ?? line?.sink) };
  try {
    return await command.run(rest, commandIo);
  } catch (error) {
    line?.end();
    // Our typed errors, and node:util parseArgs's complaints about the command line, are bad input. (The
    // command has loaded @lmm/core by now; importing it here keeps `lmm --help` from loading it.)
    const { LmmError } = await import("@lmm/core");
    if (error instanceof LmmError || String((error as { code?: string }).code ?? "").startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`lmm ${command.name}: ${(error as Error).message.split("\n")[0]}\n`);
      return 2;
    }
    throw error;
  } finally {
    line?.end();
  }
}

/** Takes `--help`/`-h`, `--progress` and `--quiet`/`-q` out of the arguments, wherever they stand. */
function takeCommonFlags(argv: string[]): { args: string[]; help: boolean; progress: boolean; quiet: boolean } {
  const is = (...names: string[]) => argv.some((a) => names.includes(a));
  const common = new Set(["--help", "-h", "--progress", "--quiet", "-q"]);
  return { args: argv.filter((a) => !common.has(a)), help: is("--help", "-h"), progress: is("--progress"), quiet: is("--quiet", "-q") };
}

function find(name: string): CommandEntry | undefined {
  return commands.find((c) => c.name === name);
}

function unknownCommand(name: string): string {
  return `lmm: unknown command ${JSON.stringify(name)}: the commands are ${commands.map((c) => c.name).join(", ")} (lmm --help lists them)\n`;
}

function print(write: (text: string) => void, text: string, code: number): number {
  write(text);
  return code;
}
