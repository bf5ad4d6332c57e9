import { accessSync, constants, statSync, type Stats } from "node:fs";
import { dirname, resolve } from "node:path";
import { OutputFileError } from "@lmm/core/node";

/** An input file of a command: the flag that names it and its path. */
export interface NamedInput {
  flag: string;
  path: string;
}

/**
 * Checks `--out` before any work: its directory exists and is writable, it is not a directory, and it is
 * not one of the inputs (the same file by any name: a symbolic or hard link, `./x` for `x`), which the
 * command would otherwise replace with its results.
 */
export function checkOutput(out: string, inputs: readonly NamedInput[]): void {
  const refuse = (reason: string) => new OutputFileError(out, reason, { label: `--out ${out}` });
  const target = statOrNull(out);
  if (target?.isDirectory()) throw refuse("is a directory; --out names the file to write");
  if (!target) {
    const dir = dirname(out);
    const parent = statOrNull(resolve(dir));
    if (!parent) throw refuse(`the directory ${dir} does not exist; create it first`);
    if (!parent.isDirectory()) throw refuse(`${dir} is not a directory`);
    try {
      accessSync(resolve(dir), constants.W_OK);
    } catch {
      throw refuse(`the directory ${dir} is not writable`);
    }
  }
  for (const input of inputs) {
    const source = statOrNull(input.path);
    const same = target && source ? target.dev === source.dev && target.ino === source.ino : resolve(out) === resolve(input.path);
    if (same) throw refuse(`is the input ${input.flag} (${input.path}); write the results to another file`);
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** The three files of a PLINK fileset (`--bfile PREFIX`), as inputs `--out` must not replace. */
export function plinkFiles(prefix: string): NamedInput[] {
  return [".bed", ".bim", ".fam"].map((ext) => ({ flag: "--bfile", path: prefix + ext }));
}
