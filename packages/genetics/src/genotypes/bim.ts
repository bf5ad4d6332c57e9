import { BadAlleleCodeError, MalformedLineError } from "../errors.js";
import type { SnpTable } from "./types.js";
import { fields, splitLines } from "./textLines.js";

// Allele codes PLINK writes: nucleotides, 0 for missing, multi-base indels, symbolic <DEL>-style names.
const ALLELE = /^(?:[A-Za-z0-9*.:_+-]+|<[A-Za-z0-9*.:_+-]+>)$/;

/**
 * Parses a PLINK `.bim` file: `chromosome id cM position A1 A2`, one SNP a line.
 * Throws {@link MalformedLineError} (wrong field count, non-numeric position) and
 * {@link BadAlleleCodeError} (invalid allele, A1 equal to A2).
 *
 * @example
 * ```ts
 * const { snps } = parseBim("1\tsnp1\t0\t1234\tA\tG\n");
 * snps.position[0]; // 1234
 * ```
 */
export function parseBim(text: string, fileName = ".bim"): { snps: SnpTable } {
  const lines = splitLines(text);
  const m = lines.length;
  const chromosome: string[] = new Array(m);
  const id: string[] = new Array(m);
  const cm = new Float64Array(m);
  const position = new Float64Array(m);
  const a1: string[] = new Array(m);
  const a2: string[] = new Array(m);
  for (let k = 0; k < m; k++) {
    const f = fields(lines[k]);
    const line = k + 1;
    if (f.length !== 6) throw new MalformedLineError(fileName, line, `expected 6 fields (chr id cM bp A1 A2), found ${f.length}`);
    chromosome[k] = f[0];
    id[k] = f[1];
    const g = Number(f[2]);
    if (!Number.isFinite(g)) throw new MalformedLineError(fileName, line, `cM position ${JSON.stringify(f[2])} is not a number`, "3", f[2]);
    cm[k] = g;
    const bp = Number(f[3]);
    if (!Number.isInteger(bp) || bp < 0) throw new MalformedLineError(fileName, line, `base-pair position ${JSON.stringify(f[3])} is not a non-negative integer`, "4", f[3]);
    position[k] = bp;
    if (!ALLELE.test(f[4])) throw new BadAlleleCodeError(line, "A1", f[4]);
    if (!ALLELE.test(f[5])) throw new BadAlleleCodeError(line, "A2", f[5]);
    if (f[4] === f[5] && f[4] !== "0") throw new BadAlleleCodeError(line, "A2", f[5], `equal to A1 (${JSON.stringify(f[4])})`);
    a1[k] = f[4];
    a2[k] = f[5];
  }
  return { snps: { chromosome, id, cm, position, a1, a2 } };
}
