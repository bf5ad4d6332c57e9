import * as nodeFs from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileSystemReason, OutputFileError } from "./OutputFileError.js";

/** What {@link writeFileAtomic} may write: text or bytes, whole or as chunks (lines, blocks), also async. */
export type FileContent = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** The parts of `node:fs/promises` the writer uses (tests pass a failing one). */
export interface AtomicWriteFs {
  open(path: string, flags: string, mode?: number): Promise<{
    write(data: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
    sync(): Promise<void>;
    close(): Promise<void>;
    chmod(mode: number): Promise<void>;
  }>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  realpath(path: string): Promise<string>;
  stat(path: string): Promise<{ mode: number }>;
}

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** The file system (default `node:fs/promises`). */
  fs?: AtomicWriteFs;
}

/** The suffix of the temporary file, so that one left behind by a killed process says what it is. */
export const PARTIAL_SUFFIX = ".lmm-partial";

const FLUSH_BYTES = 1 << 20;

/**
 * Replaces a file atomically: the content goes to a temporary file in the same directory
 * (`NAME.lmm-partial-PID-RANDOM`), which is flushed to disk (`fsync`) and then renamed over `path`. Readers
 * and later runs see either the complete new file or the previous one, byte for byte, whatever happens: a
 * full disk or another I/O error removes the temporary file and throws an {@link OutputFileError} (one
 * line, naming the path and the cause); a killed process leaves the previous file and, at worst, a
 * temporary file whose name says it is partial. A symbolic link at `path` stays a link (its target is
 * replaced) and a replaced file keeps its permissions. An error thrown by the content itself (a failing
 * generator) is rethrown after the clean-up.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "@lmm/core/node";
 * await writeFileAtomic("results.tsv", ["a\tb\n", "1\t2\n"]);
 * ```
 */
export async function writeFileAtomic(path: string, content: FileContent, options: WriteFileAtomicOptions = {}): Promise<void> {
  const fs = options.fs ?? (nodeFs as unknown as AtomicWriteFs);
  const target = await fs.realpath(path).catch(() => path);
  const previousMode = await fs.stat(target).then((s) => s.mode & 0o7777, () => undefined);
  const temporary = join(dirname(target), `${basename(target)}${PARTIAL_SUFFIX}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const fail = (error: unknown): never => {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== "string") throw error;
    throw new OutputFileError(path, `cannot write: ${fileSystemReason(error)}; ${previousMode === undefined ? "nothing was written" : "the previous file is unchanged"}`, { fsCode: code });
  };
  let handle: Handle;
  try {
    handle = await fs.open(temporary, "wx", 0o666);
  } catch (error) {
    return fail(error);
  }
  try {
    await writeContent(handle, content);
    if (previousMode !== undefined) await handle.chmod(previousMode);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.unlink(temporary).catch(() => undefined);
    return fail(error);
  }
  try {
    await handle.close();
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined);
    return fail(error);
  }
  await syncDirectory(fs, dirname(target));
}

/** Writes the content in blocks of about 1 MB (a line at a time would be one system call per line). */
async function writeContent(handle: Handle, content: FileContent): Promise<void> {
  const encoder = new TextEncoder();
  const chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array> = typeof content === "string" || content instanceof Uint8Array ? [content] : content;
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    pendingLength = 0;
    await writeAll(handle, encoder.encode(text));
  };
  for await (const chunk of chunks) {
    if (typeof chunk === "string") {
      pending.push(chunk);
      pendingLength += chunk.length;
      if (pendingLength >= FLUSH_BYTES) await flush();
    } else {
      await flush();
      await writeAll(handle, chunk);
    }
  }
  await flush();
}

type Handle = Awaited<ReturnType<AtomicWriteFs["open"]>>;

/** A write may be partial; loop until every byte is written. */
async function writeAll(handle: Handle, data: Uint8Array): Promise<void> {
  for (let offset = 0; offset < data.length; ) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    if (!(bytesWritten > 0)) throw Object.assign(new Error("the file system accepted no bytes"), { code: "EIO" });
    offset += bytesWritten;
  }
}

/** Makes the rename itself durable; not every platform can open a directory, which is harmless. */
async function syncDirectory(fs: AtomicWriteFs, dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The file is complete and renamed; only the directory entry's durability is left to the OS.
  }
}
