import type { Command, Flags } from "./command.js";
import type { CommandEntry } from "./commands/index.js";

/** Flags every command takes; main.ts takes them out of the arguments before the command parses its own. */
export const COMMON_FLAGS = {
  progress: { type: "boolean", help: "report progress of long work on stderr even when stderr is not a terminal" },
  quiet: { type: "boolean", short: "q", help: "no progress reports (warnings and errors are still printed)" },
  help: { type: "boolean", short: "h", help: "print the command's usage and flags, and exit" },
} as const satisfies Flags;

/** What `lmm --help` prints: the commands, how to get a command's flags, and the common flags. */
export function overviewText(commands: readonly CommandEntry[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `lmm ${version}: linear mixed-effects models fitted as lme4 fits them, from CSV and PLINK files`,
    "",
    "usage: lmm <command> [flags]",
    "       lmm help <command>     usage and flags of one command (also: lmm <command> --help)",
    "       lmm --version",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "flags of every command:",
    flagLines(COMMON_FLAGS),
    "",
    "Results go to standard output (or --out files), progress and warnings to standard error.",
    "Bad input exits with code 2 and one line naming the culprit.",
    "",
  ].join("\n");
}

/** What `lmm help <command>` prints: usage, what it does, and every flag. */
export function commandHelpText(command: Command, summary: string): string {
  // The synopsis lines (up to the first blank line) are written aligned under "lmm <name>": indent them past "usage: ".
  const [synopsis, ...description] = command.usage.split("\n\n");
  const usage = synopsis.split("\n").map((line, i) => (i === 0 ? "usage: " : "       ") + line).join("\n");
  return [`lmm ${command.name}: ${summary}`, "", usage, ...description.flatMap((d) => ["", d]), "", "flags:", flagLines(command.flags), "", "flags of every command:", flagLines(COMMON_FLAGS), ""].join("\n");
}

/** Help text wraps at this column. */
const LINE_WIDTH = 100;

/** One line per flag: `--name VALUE` (and its short form) in a column, then its help, wrapped. */
function flagLines(flags: Flags): string {
  const left = Object.entries(flags).map(([name, f]) => `--${name}${f.type === "string" ? ` ${f.value ?? "VALUE"}` : ""}${f.short ? `, -${f.short}` : ""}`);
  // Long value placeholders (LIST|GLOB, kenward-roger …) would push every help text far right: cap the column.
  const width = Math.min(28, Math.max(...left.map((l) => l.length)));
  const indent = " ".repeat(2 + width + 2);
  return Object.values(flags)
    .map((f, i) => {
      const help = wrap(f.help, LINE_WIDTH - indent.length).join(`\n${indent}`);
      return left[i].length > width ? `  ${left[i]}\n${indent}${help}` : `  ${left[i].padEnd(width)}  ${help}`;
    })
    .join("\n");
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line];
}
