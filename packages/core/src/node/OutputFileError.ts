import { LmmError } from "../errors/LmmError.js";

/** Why a file system call failed, in words (the code in brackets), from a Node error. */
export function fileSystemReason(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === "string" ? e.code : undefined;
  const words: Record<string, string> = {
    ENOSPC: "no space left on device",
    EDQUOT: "disk quota exceeded",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOENT: "no such file or directory",
    ENOTDIR: "a part of the path is not a directory",
    EISDIR: "is a directory",
    EIO: "input/output error",
    EFBIG: "file too large (for the file system or the process's file size limit)",
    EMFILE: "too many open files",
  };
  const text = code !== undefined && code in words ? words[code] : String(e?.message ?? error).split("\n")[0];
  return code === undefined ? text : `${text} (${code})`;
}

/**
 * A result file could not be written (full disk, no permission, missing directory …) or must not be
 * written (it is one of the inputs). Whatever the cause, the file that was there before is unchanged.
 *
 * @example
 * ```ts
 * try { await writeFileAtomic("out/results.tsv", lines); } catch (e) { if (e instanceof OutputFileError) console.error(e.message); }
 * ```
 */
export class OutputFileError extends LmmError {
  readonly path: string;
  /** The file system's error code (`ENOSPC`, `EACCES` …) when there was one. */
  readonly fsCode: string | undefined;
  /** `label` names the file in the message when the path alone would not say which (e.g. `--out x.csv`). */
  constructor(path: string, reason: string, options: { fsCode?: string; label?: string } = {}) {
    super("OUTPUT_FILE", `${options.label ?? path}: ${reason}`);
    this.path = path;
    this.fsCode = options.fsCode;
  }
}
