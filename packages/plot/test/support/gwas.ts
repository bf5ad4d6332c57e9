// The GWAS reference scans (test/reference/gwas): GEMMA's LMM and plink2's linear regressions.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { referenceDir } from "../../../../test/support/reference.ts";
import type { GwasInput } from "../../src/index.ts";

const gwasDir = join(referenceDir, "gwas");

function table(path: string): { header: string[]; rows: string[][] } {
  const lines = gunzipSync(readFileSync(join(gwasDir, path))).toString("utf8").trim().split("\n");
  return { header: lines[0].replace(/^#/, "").split(/\t/), rows: lines.slice(1).map((l) => l.split(/\t/)) };
}

function columns(path: string, chr: string, pos: string, id: string, p: string): GwasInput {
  const { header, rows } = table(path);
  const at = (name: string) => header.indexOf(name);
  return {
    chromosome: rows.map((r) => r[at(chr)]),
    position: Float64Array.from(rows, (r) => Number(r[at(pos)])),
    p: Float64Array.from(rows, (r) => Number(r[at(p)])),
    snp: rows.map((r) => r[at(id)]),
  };
}

/** GEMMA `-lmm 4` Wald test p-values. */
export function gemmaScan(): GwasInput {
  return columns("results/gemma/lmm.assoc.txt.gz", "chr", "ps", "rs", "p_wald");
}

/** plink2 linear regression with sex (naive) or sex + 10 PCs. */
export function plinkScan(which: "naive" | "pc10"): GwasInput {
  return columns(`results/plink2/${which}.y.glm.linear.gz`, "CHROM", "POS", "ID", "P");
}

/** Causal SNP ids of the simulation. */
export function causalSnps(): string[] {
  return readFileSync(join(gwasDir, "truth/causal.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(",")[0]);
}

/** results/summary.json: λGC and hit counts per method. */
export function gwasSummary(): { methods: Record<string, { lambda_gc: number; n_sig_5e8: number }>; genome_wide_threshold: number } {
  return JSON.parse(readFileSync(join(gwasDir, "results/summary.json"), "utf8"));
}
