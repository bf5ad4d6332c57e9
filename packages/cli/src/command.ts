/** What a command may touch; the real process in main.ts, buffers in tests. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * One sub-command of `pnpm lmm`. `run` returns the exit code: 0 on success, 2 for bad input
 * (main.ts turns any LmmError thrown by `run` into a one-line message and exit code 2).
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CommandIo): Promise<number>;
}
