import { availableParallelism } from "node:os";
import { InvalidArgumentError } from "@lmm/core";
import { computeGrm, createScanPool, kinshipLines } from "@lmm/genetics";
import { readPlinkFiles, writeLines } from "@lmm/genetics/node";
import { parseFlags, type Command, type CommandIo, type Flags } from "../command.js";
import { InputFileError } from "../io/files.js";
import { checkOutput, plinkFiles } from "../io/output.js";
import { reportTo } from "../progress/reportTo.js";

const usage = `lmm grm --bfile PREFIX --out K.txt

Computes GEMMA's centred genetic relationship matrix (gemma -gk 1): K = Xc Xcᵀ / m, Xc = A1 dosages with
each SNP's mean removed (missing calls mean-imputed; SNPs with MAF < 0.01 or > 5% missing left out, as GEMMA).`;

const flags = {
  bfile: { type: "string", value: "PREFIX", help: "PLINK 1 binary fileset PREFIX.bed/.bim/.fam (SNP-major)" },
  out: { type: "string", value: "K.txt", help: "output: n rows of n tab-separated numbers, 10 significant digits, rows/columns in .fam order" },
} as const satisfies Flags;

/** `lmm grm`: GEMMA's centred relatedness matrix of a PLINK fileset, in GEMMA's text format. */
export const grmCommand: Command = {
  name: "grm",
  usage,
  flags,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const values = parseFlags(argv, flags);
    for (const required of ["bfile", "out"] as const) {
      if (!values[required]) throw new InvalidArgumentError(`--${required}`, values[required], `a value (${usage.split("\n")[0]})`);
    }
    checkOutput(values.out!, plinkFiles(values.bfile!));
    const g = await readPlinkFiles(values.bfile!).catch(rethrowFileError);
    // Bands of rows on every core (the same matrix to the last bit as on one thread).
    const pool = createScanPool({ size: availableParallelism() });
    let K;
    try {
      K = await computeGrm(g, { kind: "centered", onProgress: reportTo(io, "SNPs"), pool });
    } finally {
      await pool.close();
    }
    await writeLines(values.out!, kinshipLines(K));
    io.stderr(`lmm grm: ${K.n} individuals, ${K.nSnps} of ${g.nSnps} SNPs (MAF ≥ 0.01, missing ≤ 5%); wrote ${values.out}\n`);
    return 0;
  },
};

function rethrowFileError(error: unknown): never {
  const e = error as { code?: string; path?: string; message?: string };
  if (e && typeof e.code === "string" && e.code.startsWith("E") && e.path) {
    throw new InputFileError(e.path, e.code === "ENOENT" ? "no such file" : e.code === "EISDIR" ? "is a directory" : String(e.message));
  }
  throw error;
}
