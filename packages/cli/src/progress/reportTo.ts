import type { CommandIo } from "../command.js";

/**
 * An `onProgress(done, total)` callback, as the library functions take one, that reports `task` to the
 * command's progress sink; undefined when there is no sink, so the library skips the calls altogether.
 */
export function reportTo(io: CommandIo, task: string): ((done: number, total: number) => void) | undefined {
  const sink = io.progress;
  return sink && ((done, total) => sink({ task, done, total }));
}
