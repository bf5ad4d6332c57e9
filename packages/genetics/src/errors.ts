import { LmmError } from "@lmm/core/errors";

/**
 * The first bytes of a `.bed` file are not PLINK 1's magic number 0x6c 0x1b followed by 0x01
 * (SNP-major). Individual-major files (third byte 0x00) are reported with `mode: "individual-major"`.
 *
 * @example
 * ```ts
 * try { decodeBedHeader(new Uint8Array([1, 2, 3])); } catch (e) { if (e instanceof BedMagicError) e.found; }
 * ```
 */
export class BedMagicError extends LmmError {
  /** The bytes found at offsets 0, 1, 2 (fewer if the file is shorter). */
  readonly found: number[];
  readonly mode: "not-bed" | "individual-major";
  constructor(found: number[]) {
    const hex = found.map((b) => "0x" + b.toString(16).padStart(2, "0")).join(" ");
    const mode = found.length === 3 && found[0] === 0x6c && found[1] === 0x1b && found[2] === 0x00 ? "individual-major" : "not-bed";
    super(
      "BED_MAGIC",
      mode === "individual-major"
        ? `.bed at byte offset 2: individual-major PLINK file (0x00); only SNP-major (0x01) is supported, convert it with plink --make-bed`
        : `.bed at byte offset 0: expected the magic bytes 0x6c 0x1b 0x01, found ${hex || "an empty file"}`,
    );
    this.found = found;
    this.mode = mode;
  }
}

/**
 * A `.bed` file ended before the genotypes that its `.bim` and `.fam` promise.
 *
 * @example
 * ```ts
 * // thrown by readPlink when geno.bed is cut short
 * new BedTruncatedError(2003, 2500003, 8, 10000).byteOffset; // 2003
 * ```
 */
export class BedTruncatedError extends LmmError {
  /** Where the data stops (the file size in bytes). */
  readonly byteOffset: number;
  readonly expectedBytes: number;
  /** Index (0-based) of the first SNP whose bytes are incomplete. */
  readonly snpIndex: number;
  readonly nSnps: number;
  constructor(byteOffset: number, expectedBytes: number, snpIndex: number, nSnps: number) {
    super(
      "BED_TRUNCATED",
      `.bed truncated at byte offset ${byteOffset}: SNP ${snpIndex + 1} of ${nSnps} is incomplete (expected ${expectedBytes} bytes from .bim/.fam)`,
    );
    this.byteOffset = byteOffset;
    this.expectedBytes = expectedBytes;
    this.snpIndex = snpIndex;
    this.nSnps = nSnps;
  }
}

/**
 * The `.bed` size does not match the SNP count of the `.bim` and the individual count of the `.fam`
 * (and the file is longer than they promise, so it is not simply truncated).
 *
 * @example
 * ```ts
 * new BedSizeMismatchError(2600003, 2500003, 10000, 1000).message;
 * ```
 */
export class BedSizeMismatchError extends LmmError {
  readonly actualBytes: number;
  readonly expectedBytes: number;
  readonly nSnps: number;
  readonly nIndividuals: number;
  constructor(actualBytes: number, expectedBytes: number, nSnps: number, nIndividuals: number) {
    const perSnp = Math.ceil(nIndividuals / 4);
    const data = actualBytes - 3;
    const hint = perSnp > 0 && data % perSnp === 0
      ? `; the .bed holds ${data / perSnp} SNPs of ${nIndividuals} individuals`
      : "";
    super(
      "BED_SIZE",
      `.bed has ${actualBytes} bytes but .bim lists ${nSnps} SNPs and .fam ${nIndividuals} individuals, ` +
        `which need 3 + ${nSnps} × ${perSnp} = ${expectedBytes} bytes (extra data from byte offset ${expectedBytes})${hint}`,
    );
    this.actualBytes = actualBytes;
    this.expectedBytes = expectedBytes;
    this.nSnps = nSnps;
    this.nIndividuals = nIndividuals;
  }
}

/**
 * A line of a whitespace-separated text file (`.bim`, `.fam`, GEMMA matrix) or a CSV cell is malformed.
 *
 * @example
 * ```ts
 * new MalformedLineError("geno.bim", 12, "expected 6 fields, found 5").line; // 12
 * ```
 */
export class MalformedLineError extends LmmError {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  readonly column: string | undefined;
  readonly value: string | undefined;
  constructor(file: string, line: number, problem: string, column?: string, value?: string) {
    super("MALFORMED_LINE", `${file} line ${line}${column ? `, column ${column}` : ""}: ${problem}`);
    this.file = file;
    this.line = line;
    this.column = column;
    this.value = value;
  }
}

/**
 * An allele code in a `.bim` file is not a valid allele (empty, odd characters, or A1 equal to A2).
 *
 * @example
 * ```ts
 * new BadAlleleCodeError(3, "A1", "A,G").message;
 * ```
 */
export class BadAlleleCodeError extends LmmError {
  readonly line: number;
  readonly column: "A1" | "A2";
  readonly value: string;
  constructor(line: number, column: "A1" | "A2", value: string, why = "not a valid allele code") {
    super("BAD_ALLELE", `.bim line ${line}, column ${column}: ${JSON.stringify(value)} is ${why}`);
    this.line = line;
    this.column = column;
    this.value = value;
  }
}

/**
 * Two matrices or vectors that must describe the same individuals or SNPs disagree in size.
 *
 * @example
 * ```ts
 * new DimensionMismatchError("kinship", 999, 1000).message;
 * ```
 */
export class DimensionMismatchError extends LmmError {
  readonly what: string;
  readonly actual: number;
  readonly expected: number;
  constructor(what: string, actual: number, expected: number) {
    super("DIMENSION_MISMATCH", `${what} has size ${actual}, expected ${expected}`);
    this.what = what;
    this.actual = actual;
    this.expected = expected;
  }
}

/**
 * Individuals named in a phenotype or covariate table cannot be matched (duplicated ids, or none in common).
 *
 * @example
 * ```ts
 * new IdMatchError("pheno.csv", "iid", "I0007", "is duplicated").message;
 * ```
 */
export class IdMatchError extends LmmError {
  readonly file: string;
  readonly column: string;
  readonly id: string | undefined;
  constructor(file: string, column: string, id: string | undefined, problem: string) {
    super("ID_MATCH", `${file}, column ${column}${id === undefined ? "" : ` id ${JSON.stringify(id)}`}: ${problem}`);
    this.file = file;
    this.column = column;
    this.id = id;
  }
}

/**
 * A matrix that must be symmetric positive semi-definite (a kinship) is not.
 *
 * @example
 * ```ts
 * new NotPositiveSemidefiniteError("kinship", -0.5).message;
 * ```
 */
export class NotPositiveSemidefiniteError extends LmmError {
  readonly what: string;
  readonly eigenvalue: number;
  constructor(what: string, eigenvalue: number) {
    super("NOT_PSD", `${what} is not positive semi-definite: eigenvalue ${eigenvalue}`);
    this.what = what;
    this.eigenvalue = eigenvalue;
  }
}

/**
 * A numerical routine failed to converge (reported with the routine and the index at fault).
 *
 * @example
 * ```ts
 * new ConvergenceError("tridiagonal QL", 17).message;
 * ```
 */
export class ConvergenceError extends LmmError {
  readonly routine: string;
  readonly index: number;
  constructor(routine: string, index: number) {
    super("NO_CONVERGENCE", `${routine} did not converge at index ${index}`);
    this.routine = routine;
    this.index = index;
  }
}

/**
 * The association scan cannot give a single defined test: the phenotype is constant or its variance
 * overflows, a covariate is zero, constant or a copy of another, or the kinship leaves the model without
 * an estimate. Said before any SNP is scanned, naming the cause (never a results file of NaN).
 *
 * @example
 * ```ts
 * try { await lmmScan({ genotypes, phenotype: Float64Array.from(y, () => 5) }); } catch (e) { if (e instanceof DegenerateScanError) e.cause; } // "phenotype"
 * ```
 */
export class DegenerateScanError extends LmmError {
  /** What makes the scan degenerate. */
  readonly culprit: "phenotype" | "covariate" | "kinship" | "tests";
  /** The phenotype's or covariate's name, when one is at fault. */
  readonly column: string | undefined;
  constructor(culprit: DegenerateScanError["culprit"], problem: string, column?: string) {
    super("DEGENERATE_SCAN", problem);
    this.culprit = culprit;
    this.column = column;
  }
}
