import { MalformedLineError } from "../errors.js";
import type { IndividualTable } from "./types.js";
import { fields, splitLines } from "./textLines.js";

/**
 * Parses a PLINK `.fam` file: `FID IID father mother sex phenotype`, one individual a line.
 * Sex 1 = male, 2 = female, anything else 0 (unknown); phenotype `-9` or `NA` is missing (NaN).
 *
 * @example
 * ```ts
 * const fam = parseFam("F1 I1 0 0 2 -9\n");
 * Number.isNaN(fam.phenotype[0]); // true
 * ```
 */
export function parseFam(text: string, fileName = ".fam"): IndividualTable {
  const lines = splitLines(text);
  const n = lines.length;
  const fid: string[] = new Array(n);
  const iid: string[] = new Array(n);
  const father: string[] = new Array(n);
  const mother: string[] = new Array(n);
  const sex = new Int8Array(n);
  const phenotype = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = fields(lines[i]);
    if (f.length !== 6) throw new MalformedLineError(fileName, i + 1, `expected 6 fields (FID IID father mother sex phenotype), found ${f.length}`);
    fid[i] = f[0];
    iid[i] = f[1];
    father[i] = f[2];
    mother[i] = f[3];
    sex[i] = f[4] === "1" ? 1 : f[4] === "2" ? 2 : 0;
    const p = f[5];
    if (p === "-9" || p === "NA" || p === "nan" || p === "NaN") phenotype[i] = NaN;
    else {
      const v = Number(p);
      if (!Number.isFinite(v)) throw new MalformedLineError(fileName, i + 1, `phenotype ${JSON.stringify(p)} is not a number`, "6", p);
      phenotype[i] = v;
    }
  }
  return { fid, iid, father, mother, sex, phenotype };
}
