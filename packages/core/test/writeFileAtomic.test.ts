// A result file is either the complete new one or the previous one, byte for byte: killed writers,
// full disks and other I/O errors leave it untouched.
import { spawn } from "node:child_process";
import * as fs from "node:fs/promises";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, lstatSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OutputFileError, PARTIAL_SUFFIX, writeFileAtomic, type AtomicWriteFs } from "../src/node/index.js";

const dir = () => mkdtempSync(join(tmpdir(), "lmm-atomic-"));
const PREVIOUS = "previous results\nkept byte for byte\n";

/** node:fs/promises whose writes fail with `code` once `limit` bytes are written (a disk filling up). */
function failingFs(code: string, limit: number): AtomicWriteFs {
  let written = 0;
  return {
    ...(fs as unknown as AtomicWriteFs),
    async open(path, flags, mode) {
      const handle = await fs.open(path, flags, mode);
      return {
        async write(data: Uint8Array, offset: number, length: number) {
          if (written + length > limit) throw Object.assign(new Error(`${code}: simulated, write`), { code, syscall: "write" });
          written += length;
          return handle.write(data, offset, length);
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
        chmod: (m: number) => handle.chmod(m),
      };
    },
  };
}

function* chunks(n: number): Generator<string> {
  for (let k = 0; k < n; k++) yield `${"x".repeat(1 << 16)}\n`;
}

describe("writeFileAtomic", () => {
  it("writes a new file and replaces an old one, keeping its permissions and a symbolic link", async () => {
    const d = dir();
    const target = join(d, "out.tsv");
    await writeFileAtomic(target, ["a\tb\n", new TextEncoder().encode("1\t2\n")]);
    expect(readFileSync(target, "utf8")).toBe("a\tb\n1\t2\n");
    chmodSync(target, 0o640);
    const link = join(d, "link.tsv");
    symlinkSync(target, link);
    await writeFileAtomic(link, "new\n");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe("new\n");
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(readdirSync(d).sort()).toEqual(["link.tsv", "out.tsv"]);
  });

  it("a full disk (ENOSPC) leaves the previous file byte for byte, removes the temporary file, and says so in one line", async () => {
    const d = dir();
    const target = join(d, "results.tsv");
    writeFileSync(target, PREVIOUS);
    const e = await writeFileAtomic(target, chunks(40), { fs: failingFs("ENOSPC", 1 << 20) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OutputFileError);
    const error = e as OutputFileError;
    expect(error.code).toBe("OUTPUT_FILE");
    expect(error.fsCode).toBe("ENOSPC");
    expect(error.message).toBe(`${target}: cannot write: no space left on device (ENOSPC); the previous file is unchanged`);
    expect(readFileSync(target, "utf8")).toBe(PREVIOUS);
    expect(readdirSync(d)).toEqual(["results.tsv"]);
  });

  it("other I/O errors too (EIO); without a previous file nothing is left behind", async () => {
    const d = dir();
    const target = join(d, "new.tsv");
    const e = (await writeFileAtomic(target, chunks(4), { fs: failingFs("EIO", 0) }).catch((x: unknown) => x)) as OutputFileError;
    expect(e.message).toBe(`${target}: cannot write: input/output error (EIO); nothing was written`);
    expect(readdirSync(d)).toEqual([]);
  });

  it("an error of the content itself is rethrown as it is, after the clean-up", async () => {
    const d = dir();
    const target = join(d, "results.tsv");
    writeFileSync(target, PREVIOUS);
    function* failing(): Generator<string> {
      yield "half a file\n";
      throw new RangeError("the computation failed");
    }
    await expect(writeFileAtomic(target, failing())).rejects.toThrow(RangeError);
    expect(readFileSync(target, "utf8")).toBe(PREVIOUS);
    expect(readdirSync(d)).toEqual(["results.tsv"]);
  });

  it("a process killed (SIGKILL) in the middle of writing leaves the previous file and a clearly named partial file", async () => {
    const d = dir();
    const target = join(d, "results.tsv");
    writeFileSync(target, PREVIOUS);
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", new URL("./fixtures/slowWriter.ts", import.meta.url).pathname, target], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
        if (out.includes("writing")) resolve();
      });
      child.on("exit", () => reject(new Error(`writer ended before it was killed: ${out}`)));
    });
    const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(signal)));
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(out).not.toContain("done");
    expect(readFileSync(target, "utf8")).toBe(PREVIOUS);
    const left = readdirSync(d).filter((f) => f !== "results.tsv");
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(new RegExp(`^results\\.tsv${PARTIAL_SUFFIX.replace(".", "\\.")}-${child.pid}-[a-z0-9]+$`));
    // The next run replaces the file as usual.
    await writeFileAtomic(target, "complete\n");
    expect(readFileSync(target, "utf8")).toBe("complete\n");
  }, 60_000);
});
