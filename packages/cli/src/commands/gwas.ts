import { availableParallelism } from "node:os";
import { InvalidArgumentError } from "@lmm/core";
import { assocLines, createScanPool, DegenerateScanError, genomicControl, lmmScan, matchColumns, startScanPool, type LmmScanResult } from "@lmm/genetics";
import { readKinshipFile, readPlinkFiles, writeLines } from "@lmm/genetics/node";
import { parseFlags, type Command, type CommandIo, type Flags } from "../command.js";
import { InputFileError, readCsvFile } from "../io/files.js";
import { checkOutput, plinkFiles } from "../io/output.js";
import { reportTo } from "../progress/reportTo.js";

const usage = `lmm gwas --bfile PREFIX --pheno FILE --pheno-col NAME [--covar FILE --covar-cols a,b]
         [--kinship K.txt] [--test wald,lrt,score] [--approx] [--id-col NAME] [--json] --out RESULTS.tsv

Genome-wide association scan with a linear mixed model, as GEMMA -lmm 4 computes it: per SNP the REML Wald
test, the ML likelihood-ratio test and the score test, λ re-estimated per SNP (or, with --approx, fixed at the
null-model value: EMMAX/P3D). An intercept is always included. Individuals missing from a CSV file or with a
missing value are dropped and counted.`;

const flags = {
  bfile: { type: "string", value: "PREFIX", help: "PLINK 1 binary fileset PREFIX.bed/.bim/.fam" },
  pheno: { type: "string", value: "FILE.csv", help: "CSV with an id column and the phenotype" },
  "pheno-col": { type: "string", value: "NAME", help: "the phenotype column of --pheno" },
  covar: { type: "string", value: "FILE.csv", help: "CSV with an id column and covariates" },
  "covar-cols": { type: "string", value: "A,B", help: "the covariate columns of --covar to use" },
  "id-col": { type: "string", value: "NAME", help: "id column of both CSV files, matched to the .fam IID (default iid)" },
  kinship: { type: "string", value: "K.txt", help: "relationship matrix in GEMMA's format, rows in .fam order (default: GEMMA's centred GRM)" },
  test: { type: "string", value: "wald,lrt,score", help: "p-values to write (default all three; the others are NA)" },
  approx: { type: "boolean", help: "keep λ at its null-model estimate (fast approximate scan)" },
  na: { type: "string", multiple: true, value: "TOKEN", help: 'a cell text that means missing in the CSV files besides empty, NA, NaN, null and "."; repeat for several' },
  encoding: { type: "string", value: "utf-8|latin1", help: "text encoding of the CSV files (default utf-8, strictly)" },
  json: { type: "boolean", help: "print the summary as JSON on stdout (default: one line on stderr)" },
  out: { type: "string", value: "RESULTS.tsv", help: "TSV: rs chr ps beta se lambda p_wald p_lrt p_score (GEMMA's %.6e; NA where a test is undefined), written atomically" },
} as const satisfies Flags;

/** `lmm gwas`: GEMMA-exact LMM association scan of a PLINK fileset. */
export const gwasCommand: Command = {
  name: "gwas",
  usage,
  flags,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const values = parseFlags(argv, flags);
    for (const required of ["bfile", "pheno", "pheno-col", "out"] as const) {
      if (!values[required]) throw new InvalidArgumentError(`--${required}`, values[required], `a value (${usage.split("\n")[0]})`);
    }
    if (Boolean(values.covar) !== Boolean(values["covar-cols"])) {
      throw new InvalidArgumentError(values.covar ? "--covar-cols" : "--covar", undefined, "--covar and --covar-cols together");
    }
    const tests = parseTests(values.test);
    checkOutput(values.out!, [
      ...plinkFiles(values.bfile!),
      { flag: "--pheno", path: values.pheno! },
      ...(values.covar ? [{ flag: "--covar", path: values.covar }] : []),
      ...(values.kinship ? [{ flag: "--kinship", path: values.kinship }] : []),
    ]);
    const idColumn = values["id-col"] ?? "iid";
    // Every core: this thread only waits while the workers compute the kinship and the scan. They start
    // now, loading their modules while this thread reads the inputs.
    const pool = createScanPool({ size: availableParallelism() });
    let result, g, pheno, covar, covarCols: string[];
    try {
      const started = startScanPool(pool, availableParallelism());
      // Bad input found while reading closes the pool under the start: that rejection is not the error to report.
      started.catch(() => undefined);
      g = await readPlinkFiles(values.bfile!).catch(rethrowFileError);
      const ids = g.individuals.iid;
      if (new Set(ids).size !== ids.length) throw new InputFileError(values.bfile! + ".fam", "IIDs are not unique, so CSV rows cannot be matched to them");
      const table = (path: string) => readCsvFile(path, { na: values.na, encoding: values.encoding }, ["."]).csv;
      pheno = matchColumns(table(values.pheno!), ids, { columns: [values["pheno-col"]!], idColumn });
      covarCols = values["covar-cols"] ? values["covar-cols"].split(",").map((s) => s.trim()).filter(Boolean) : [];
      covar = values.covar ? matchColumns(table(values.covar), ids, { columns: covarCols, idColumn }) : undefined;
      const kinship = values.kinship ? await readKinshipFile(values.kinship, g.nIndividuals).catch(rethrowFileError) : undefined;
      await started;
      result = await lmmScan({
        genotypes: g, phenotype: pheno.values[0], covariates: covar?.values ?? [], kinship,
        mode: values.approx ? "approximate" : "exact", pool, onProgress: reportTo(io, "SNPs tested"),
        onKinshipProgress: reportTo(io, "SNPs read for the kinship"),
        names: { phenotype: values["pheno-col"], covariates: covarCols },
      });
    } finally {
      await pool.close();
    }
    refuseUndefinedScan(result, tests);
    await writeLines(values.out!, assocLines(g, result, tests));
    const nm = result.nullModel;
    const summary = {
      individuals: { total: g.nIndividuals, analysed: result.rows.length, dropped: result.nDropped, notInPhenotypeFile: pheno.missingIds, notInCovariateFile: covar?.missingIds ?? 0 },
      snps: { total: g.nSnps, tested: result.snpIndex.length, filtered: result.nFiltered, undefinedTests: result.undefinedTests },
      mode: result.mode,
      covariates: result.nCovariates,
      nullModel: { lambda: nm.lambdaReml, lambdaMl: nm.lambdaMl, vg: nm.vg, ve: nm.ve, pve: nm.pve, pveSe: nm.pveSe, logLikReml: nm.logLikReml, logLikMl: nm.logLikMl, beta: Array.from(nm.beta), betaSe: Array.from(nm.betaSe) },
      lambdaGC: {
        wald: tests.wald ? genomicControl(result.pWald) : null,
        lrt: tests.lrt ? genomicControl(result.pLrt) : null,
        score: tests.score ? genomicControl(result.pScore) : null,
      },
      imputation: result.imputation,
      warnings: result.warnings,
      out: values.out,
    };
    if (values.json) io.stdout(JSON.stringify(summary, null, 2) + "\n");
    else {
      const gc = (Object.entries(summary.lambdaGC).filter(([, v]) => v !== null) as [string, number][]).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(", ");
      io.stderr(
        `lmm gwas: ${summary.individuals.analysed} of ${g.nIndividuals} individuals analysed (${result.nDropped} dropped), ` +
          `${summary.snps.tested} SNPs tested (${result.nFiltered} filtered${undefinedText(result, tests)}), ${result.mode}; null model: lambda ${nm.lambdaReml.toPrecision(6)}, ` +
          `vg ${nm.vg.toPrecision(6)}, ve ${nm.ve.toPrecision(6)}, pve ${nm.pve.toPrecision(6)} (se ${nm.pveSe.toPrecision(6)}); lambda_GC ${gc}; wrote ${values.out}\n`,
      );
      for (const w of result.warnings) io.stderr(`lmm gwas: warning: ${w}\n`);
    }
    return 0;
  },
};

/** No file of NaN: if every requested test is undefined for every SNP, say so instead of writing one. */
function refuseUndefinedScan(result: LmmScanResult, tests: { wald: boolean; lrt: boolean; score: boolean }): void {
  const n = result.snpIndex.length;
  const u = result.undefinedTests;
  const requested = (["wald", "lrt", "score"] as const).filter((t) => tests[t]);
  if (n > 0 && requested.every((t) => u[t] === n)) {
    throw new DegenerateScanError("tests", `every requested test (${requested.join(", ")}) is undefined for all ${n} SNPs: the phenotype, covariates and kinship leave nothing to test; no results written`);
  }
}

/** ", 12 with an undefined test (NA)" for the summary line, when there are any. */
function undefinedText(result: LmmScanResult, tests: { wald: boolean; lrt: boolean; score: boolean }): string {
  const u = result.undefinedTests;
  const worst = Math.max(tests.wald ? u.wald : 0, tests.lrt ? u.lrt : 0, tests.score ? u.score : 0);
  return worst > 0 ? `, ${worst} with an undefined test written as NA` : "";
}

function parseTests(list: string | undefined): { wald: boolean; lrt: boolean; score: boolean } {
  if (list === undefined) return { wald: true, lrt: true, score: true };
  const names = list.split(",").map((s) => s.trim()).filter(Boolean);
  const out = { wald: false, lrt: false, score: false };
  for (const name of names) {
    if (name !== "wald" && name !== "lrt" && name !== "score") throw new InvalidArgumentError("--test", name, "a comma-separated list of wald, lrt, score");
    out[name] = true;
  }
  if (names.length === 0) throw new InvalidArgumentError("--test", list, "a comma-separated list of wald, lrt, score");
  return out;
}

function rethrowFileError(error: unknown): never {
  const e = error as { code?: string; path?: string; message?: string };
  if (e && typeof e.code === "string" && e.code.startsWith("E") && e.path) {
    throw new InputFileError(e.path, e.code === "ENOENT" ? "no such file" : e.code === "EISDIR" ? "is a directory" : String(e.message));
  }
  throw error;
}
