import { parseArgs } from "node:util";

/** How far a long piece of work has got: `done` of `total` units (refits, features, SNPs …) of `task`. */
export interface ProgressUpdate {
  task: string;
  done: number;
  total: number;
}

/** Receives progress updates; main.ts turns them into a line on stderr, tests record them. */
export type ProgressSink = (update: ProgressUpdate) => void;

/** What a command may touch; the real process in bin.ts, buffers in tests. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Where long work reports progress. Absent when nobody is watching: main.ts sets it when stderr is a
   * terminal or `--progress` is given, and never with `--quiet`. Standard output is never used for it.
   */
  progress?: ProgressSink;
}

/** One command-line flag: node:util `parseArgs`'s option plus what `--help` prints about it. */
export interface Flag {
  type: "string" | "boolean";
  short?: string;
  default?: string | boolean;
  /** The value's placeholder in help, e.g. `FILE.csv` (string flags). */
  value?: string;
  /** The flag may be given several times; its value is then the list (string flags). */
  multiple?: boolean;
  /** One line for `--help`. */
  help: string;
}

/** A command's flags by name (without the leading `--`). */
export type Flags = Record<string, Flag>;

/**
 * One sub-command of `lmm`. `run` returns the exit code: 0 on success, 2 for bad input
 * (main.ts turns any LmmError thrown by `run` into a one-line message and exit code 2).
 * `usage` and `flags` are what `lmm help <name>` prints, so every flag is parsed from, and documented in, one place.
 */
export interface Command {
  name: string;
  /** Synopsis line(s), a blank line, then what the command does. */
  usage: string;
  /** Every flag the command takes; `--help`, `--progress` and `--quiet` are common to all and handled by main.ts. */
  flags: Flags;
  run(argv: string[], io: CommandIo): Promise<number>;
}

/** The values of parsed flags: booleans and strings, undefined when absent and without a default. */
export type FlagValues<F extends Flags> = {
  [K in keyof F]: (F[K]["type"] extends "boolean" ? boolean : F[K] extends { multiple: true } ? string[] : string) | (F[K] extends { default: unknown } ? never : undefined);
};

/** The command's flags parsed from `argv` (unknown flags and stray arguments are refused by `parseArgs`). */
export function parseFlags<const F extends Flags>(argv: string[], flags: F): FlagValues<F> {
  return parseArgs({ args: argv, options: flags, strict: true, allowPositionals: false }).values as unknown as FlagValues<F>;
}
