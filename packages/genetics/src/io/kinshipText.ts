import { DimensionMismatchError, MalformedLineError } from "../errors.js";
import type { Kinship } from "../grm/grm.js";
import { formatG } from "./formatG.js";

/**
 * Lines of a relationship matrix in GEMMA's format (`kin.cXX.txt`): n rows of n tab-separated numbers printed
 * with 10 significant digits, no header. A generator, so large matrices can be streamed to a file.
 *
 * @example
 * ```ts
 * for (const line of kinshipLines(K)) out.write(line + "\n");
 * ```
 */
export function* kinshipLines(k: Pick<Kinship, "n" | "values">): Generator<string> {
  const { n, values } = k;
  const cells = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) cells[j] = formatG(values[i * n + j], 10);
    yield cells.join("\t");
  }
}

/**
 * Parses a relationship matrix in GEMMA's format (whitespace-separated, n rows of n numbers). Checks that the
 * matrix is square and, if `n` is given, of that size, and that it is symmetric to the printed precision.
 *
 * @example
 * ```ts
 * const K = parseKinship("1\t0.5\n0.5\t1\n"); // K.n = 2
 * ```
 */
export function parseKinship(text: string, options: { n?: number; fileName?: string } = {}): Kinship {
  const file = options.fileName ?? "kinship";
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const n = lines.length;
  if (options.n !== undefined && n !== options.n) throw new DimensionMismatchError(`${file} (rows)`, n, options.n);
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const f = lines[i].trim().split(/[ \t,]+/);
    if (f.length !== n) throw new MalformedLineError(file, i + 1, `expected ${n} values (a square matrix), found ${f.length}`);
    for (let j = 0; j < n; j++) {
      const v = Number(f[j]);
      if (!Number.isFinite(v)) throw new MalformedLineError(file, i + 1, `${JSON.stringify(f[j])} is not a number`, String(j + 1), f[j]);
      values[i * n + j] = v;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const a = values[i * n + j], b = values[j * n + i];
      if (Math.abs(a - b) > 1e-6 * Math.max(1, Math.abs(a), Math.abs(b))) {
        throw new MalformedLineError(file, i + 1, `not symmetric: entry (${i + 1}, ${j + 1}) = ${a} but (${j + 1}, ${i + 1}) = ${b}`, String(j + 1));
      }
    }
  }
  return { n, values, nSnps: NaN, kind: "given" };
}
