// Paths into the GWAS reference outputs (test/reference/gwas), relative to this folder (tests read expected values at run time).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

export const gwasRef = (path: string) => new URL(`../../../test/reference/gwas/${path}`, import.meta.url).pathname;
export const cohortData = (path: string) => new URL(`../data/${path}`, import.meta.url).pathname;

/** Rows of a tab-separated file with a header line, as string arrays, plus the header. */
export function readTsv(path: string): { header: string[]; rows: string[][] } {
  const raw = readFileSync(path);
  const text = (path.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
  const lines = text.trim().split("\n");
  return { header: lines[0].replace(/^#/, "").split("\t"), rows: lines.slice(1).map((l) => l.split("\t")) };
}

/** Half a unit in the last printed digit of a number written as text ("5.844199e+00", "0.683477", "-1335.68"). */
export function halfUnit(printed: string): number {
  const s = printed.trim().replace(/^[-+]/, "");
  const e = s.search(/[eE]/);
  const mant = e < 0 ? s : s.slice(0, e);
  const exp = e < 0 ? 0 : Number(s.slice(e + 1));
  const dot = mant.indexOf(".");
  const decimals = dot < 0 ? 0 : mant.length - dot - 1;
  return 0.5 * 10 ** (exp - decimals);
}

/** The phenotype y and covariate sex of the GWAS reference, in .fam order. */
export function referencePhenotype(): { y: Float64Array; sex: Float64Array; ids: string[] } {
  const lines = readFileSync(gwasRef("data/pheno.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
  return { ids: lines.map((r) => r[0]), y: Float64Array.from(lines, (r) => Number(r[1])), sex: Float64Array.from(lines, (r) => Number(r[2])) };
}
