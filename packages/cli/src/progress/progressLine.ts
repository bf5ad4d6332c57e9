import type { ProgressSink, ProgressUpdate } from "../command.js";

/** How progress is shown on stderr. */
export interface ProgressLineOptions {
  /**
   * A terminal: one line rewritten in place (`\r`, erase to the end of the line), at most every 100 ms.
   * Otherwise (a file or a pipe, with `--progress`): one line per report, at most one a second per task.
   */
  terminal: boolean;
  /** Milliseconds since some fixed moment (default `performance.now`); tests pass their own clock. */
  now?: () => number;
}

/** A progress sink that writes to stderr, and `end()`, which closes a line left open in a terminal. */
export interface ProgressLine {
  sink: ProgressSink;
  end(): void;
}

const TERMINAL_INTERVAL_MS = 100;
const LOG_INTERVAL_MS = 1000;

/**
 * Shows `lmm <command>: <task> <done>/<total> (<percent>%, about <s> s left)` on stderr. The first and the last
 * report of every task are always shown; those between are thinned to the interval above, so a scan of a
 * million SNPs costs a few hundred writes.
 */
export function progressLine(command: string, write: (text: string) => void, options: ProgressLineOptions): ProgressLine {
  const now = options.now ?? (() => performance.now());
  const interval = options.terminal ? TERMINAL_INTERVAL_MS : LOG_INTERVAL_MS;
  let task: string | null = null;
  let started = 0;
  let shownAt = -Infinity;
  let open = false;

  const text = (u: ProgressUpdate, t: number) => {
    const percent = u.total > 0 ? ` (${Math.floor((100 * u.done) / u.total)}%${eta(u, (t - started) / 1000)})` : "";
    return `lmm ${command}: ${u.task} ${u.done}/${u.total}${percent}`;
  };
  const end = () => {
    if (open) write("\n");
    open = false;
  };

  const sink: ProgressSink = (u) => {
    const t = now();
    const first = u.task !== task;
    const last = u.done >= u.total;
    if (first) {
      end();
      task = u.task;
      started = t;
    } else if (!last && t - shownAt < interval) return;
    shownAt = t;
    if (last) task = null; // the same task may run again (a second bootstrap): show its start too
    if (options.terminal) {
      write(`\r\x1b[K${text(u, t)}`);
      open = true;
      if (last) end();
    } else write(`${text(u, t)}\n`);
  };
  return { sink, end };
}

/** ", about N s left" once a second has passed and some work is done (earlier guesses mislead). */
function eta(u: ProgressUpdate, elapsedSeconds: number): string {
  if (u.done <= 0 || u.done >= u.total || elapsedSeconds < 1) return "";
  const left = (elapsedSeconds * (u.total - u.done)) / u.done;
  return `, about ${left < 10 ? left.toFixed(1) : Math.round(left)} s left`;
}
