// Data in and results out through the command line: a file is read exactly as the user meant or refused
// with one line naming file, line, column and value; a result file is complete or the previous one untouched.
import { spawnSync } from "node:child_process";
import { linkSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCsvColumns } from "@lmm/arquero";
import { main } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "lmm-data-path-"));
const sleep = readFileSync(new URL("../../../test/reference/lme4/data/sleepstudy.csv", import.meta.url), "utf8").trim().split("\n");
const combatData = new URL("../../../test/reference/combat/data/features_raw.csv", import.meta.url).pathname;

async function run(...argv: string[]) {
  let stdout = "", stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Writes a file and returns its path. */
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** sleepstudy with line `line` (1-based, header = 1) given `cell` in column `column`. */
function sleepWith(line: number, column: number, cell: string): string {
  return sleep.map((l, i) => (i === line - 1 ? l.split(",").map((c, j) => (j === column ? cell : c)).join(",") : l)).join("\n") + "\n";
}

/** Fits and returns the parsed JSON, or the one-line error. */
async function fit(data: string, formula = "Reaction ~ Days + (Days | Subject)", ...extra: string[]) {
  const r = await run("fit", "--data", data, "--formula", formula, "--json", ...extra);
  if (r.code === 0) return { ok: JSON.parse(r.stdout) as { fixef: Record<string, unknown>; nobs: number; ngroups: Record<string, number> }, error: "" };
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  return { ok: null, error: r.stderr.trim() };
}

describe("1. numeric columns never silently become factors", () => {
  it("a NaN or NA cell is missing: Days stays numeric, the row is dropped", async () => {
    for (const token of ["NaN", "NA", "", "null"]) {
      const { ok } = await fit(file(`nan-${token}.csv`, sleepWith(12, 1, token)));
      expect(Object.keys(ok!.fixef)).toEqual(["(Intercept)", "Days"]);
      expect(ok!.nobs).toBe(179);
    }
  });

  it("--na adds missing tokens", async () => {
    const { ok } = await fit(file("na-flag.csv", sleepWith(12, 1, "-999")), undefined, "--na=-999");
    expect(ok!.nobs).toBe(179);
  });

  for (const [cell, message] of [
    ["Inf", /line 12, column "Days": value "Inf" is not a finite number/],
    ["-Inf", /line 12, column "Days": value "-Inf" is not a finite number/],
    ["1e400", /line 12, column "Days": value "1e400" is not a finite number/],
    ['"1,5"', /line 12, column "Days": value "1,5" is not a number: numbers are written with a decimal point/],
    ["n/a", /line 12, column "Days": value "n\/a" is not a number, though 179 of 180 values are numbers; .*--na="n\/a".*factor\(Days\)/],
  ] as const) {
    it(`one ${cell} cell in Days: exit 2 naming file, line, column and value`, async () => {
      const path = file(`bad-${cell.replace(/\W/g, "_")}.csv`, sleepWith(12, 1, cell));
      const { error } = await fit(path);
      expect(error.startsWith(`lmm fit: ${path}: line 12, column "Days"`)).toBe(true);
      expect(error).toMatch(message);
    });
  }

  it("factor(Days) makes the same column categorical, as asked", async () => {
    const { ok } = await fit(file("factor.csv", sleepWith(12, 1, "n/a")), "Reaction ~ factor(Days) + (1 | Subject)");
    expect(Object.keys(ok!.fixef)).toContain("factor(Days)n/a");
  });

  it("a response with a stray word names it too", async () => {
    const { error } = await fit(file("response.csv", sleepWith(30, 0, "missing")));
    expect(error).toMatch(/line 30, column "Reaction": value "missing" is not a number/);
  });

  it("--columns: a cell that does not fit its declared type is an error, never a silent drop", async () => {
    const schema = file("s.columns.json", JSON.stringify({ columns: [{ name: "Reaction", type: "numeric" }, { name: "Days", type: "integer" }, { name: "Subject", type: "factor" }] }));
    const { error } = await fit(file("schema-bad.csv", sleepWith(7, 1, "2.5")), undefined, "--columns", schema);
    expect(error).toMatch(/schema-bad\.csv: line 7, column "Days": value "2.5" is not a whole number \(the column schema declares "Days" integer\)/);
  });
});

describe("2–5. header, shape, encoding and names", () => {
  it("2. a duplicate column name is refused, naming the duplicate", async () => {
    const text = ["Reaction,Days,Subject,Days", ...sleep.slice(1).map((l) => `${l},${l.split(",")[1]}`)].join("\n");
    expect((await fit(file("dup.csv", text))).error).toMatch(/dup\.csv: line 1: column "Days" appears twice \(columns 2 and 4\)/);
  });

  it("3. ragged rows are refused with the line number (too few and too many fields)", async () => {
    const short = sleep.map((l, i) => (i === 8 ? l.split(",").slice(0, 2).join(",") : l)).join("\n");
    expect((await fit(file("short.csv", short))).error).toMatch(/short\.csv: line 9: 2 fields, but the header has 3 columns$/);
    const long = sleep.map((l, i) => (i === 99 ? `${l},extra` : l)).join("\n");
    expect((await fit(file("long.csv", long))).error).toMatch(/long\.csv: line 100: 4 fields, but the header has 3 columns/);
  });

  it("a .tsv file is read tab-separated, by the same rules", async () => {
    const path = file("sleep.tsv", sleepWith(12, 1, "NA").replace(/,/g, "\t"));
    expect((await fit(path)).ok!.nobs).toBe(179);
    expect((await fit(file("bad.tsv", sleepWith(12, 1, "Inf").replace(/,/g, "\t")))).error).toMatch(/bad\.tsv: line 12, column "Days": value "Inf"/);
  });

  it("4. a UTF-8 byte-order mark is stripped", async () => {
    const { ok } = await fit(file("bom.csv", "\uFEFF" + sleep.join("\n")));
    expect(ok!.nobs).toBe(180);
  });

  it("4. bytes that are not UTF-8 are refused with line and byte offset, or read with --encoding latin1 (Café and Cafè stay apart)", async () => {
    const enc = new TextEncoder();
    const parts: number[] = [...enc.encode("y,x,site\n")];
    for (let i = 0; i < 40; i++) parts.push(...enc.encode(`${(i * 7) % 11 + i / 10},${i % 5},Caf`), i % 2 ? 0xe9 : 0xe8, 0x0a);
    const path = file("latin1.csv", Uint8Array.from(parts));
    const { error } = await fit(path, "y ~ x + (1 | site)");
    expect(error).toBe(`lmm fit: ${path}: line 2, byte offset 16: byte 0xe8 is not UTF-8 text; re-save the file as UTF-8 (e.g. "CSV UTF-8" in Excel), or read it as Latin-1 (encoding "latin1", --encoding latin1)`);
    const { ok } = await fit(path, "y ~ x + (1 | site)", "--encoding", "latin1");
    expect(ok!.ngroups).toEqual({ site: 2 });
  });

  it("5. a column named __proto__ the formula does not use never crashes; used in backticks it is an ordinary column", async () => {
    const text = ["Reaction,Days,Subject,__proto__,constructor,tumour size", ...sleep.slice(1).map((l, i) => `${l},${i % 3},${i % 4},${(i * 13) % 7}`)].join("\n");
    const path = file("proto.csv", text);
    expect(Object.keys((await fit(path)).ok!.fixef)).toEqual(["(Intercept)", "Days"]);
    expect(Object.keys((await fit(path, "Reaction ~ Days + `__proto__` + constructor + `tumour size` + (1 | Subject)")).ok!.fixef)).toEqual(["(Intercept)", "Days", "__proto__", "constructor", "tumour size"]);
    const vp = await run("varpart", "--data", path, "--formula", "{feature} ~ 1 + (1 | Subject)", "--features", "Reaction,constructor");
    expect([vp.code, vp.stderr]).toEqual([0, ""]);
  });

  it("5. an unquoted non-ASCII name says to use backticks", async () => {
    const path = file("groesse.csv", ["Reaction,Größe,Subject", ...sleep.slice(1)].join("\n"));
    expect((await fit(path, "Reaction ~ Größe + (1 | Subject)")).error).toMatch(/between backticks: `Größe`/);
    expect(Object.keys((await fit(path, "Reaction ~ `Größe` + (1 | Subject)")).ok!.fixef)).toEqual(["(Intercept)", "Größe"]);
  });

  it("6. schema files that are null, not an object or name unknown types get a clear error", async () => {
    const data = file("ok.csv", sleep.join("\n"));
    for (const [content, message] of [
      ["null", /found null/],
      ["[]", /found an array/],
      ['{"columns":[{"name":"Days","type":"double"}]}', /column "Days" has type "double"; known types/],
      ['{"columns":[{"name":"Dayz","type":"numeric"}]}', /the column schema declares column "Dayz", which the file does not have/],
    ] as const) {
      const schema = file("bad.columns.json", content);
      const { error } = await fit(data, undefined, "--columns", schema);
      expect(error).toMatch(message);
      expect(error).toMatch(/(bad\.columns\.json|ok\.csv): /);
    }
  });
});

describe("7. errors name the user's column and the cell at fault", () => {
  it("combat --batch site with a blank site names column \"site\" and its line", async () => {
    const lines = readFileSync(combatData, "utf8").trim().split("\n");
    lines[5] = lines[5].replace(/^(P\d+),S\d,/, "$1,,");
    const r = await run("combat", "--data", file("blank-site.csv", lines.join("\n")), "--batch", "site", "--features", "shape_*", "--out", join(dir, "h.csv"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/blank-site\.csv: line 6, column "site": value "" is missing: every row needs a batch/);
    expect(r.stderr).not.toMatch(/"batch"/);
  });

  it("varpart blames the cell that is wrong, not row 1", async () => {
    const rows = ["f1,f2,patient,batch", ...Array.from({ length: 40 }, (_, i) => `${Math.sin(i).toFixed(3)},${i === 5 ? "abc" : Math.cos(i * 3).toFixed(3)},p${i % 8},b${i % 4}`)];
    const r = await run("varpart", "--data", file("vp.csv", rows.join("\n")), "--formula", "{feature} ~ 1 + (1|patient) + (1|batch)", "--features", "f*");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/vp\.csv: line 7, column "f2": value "abc" is not a number/);
  });
});

describe("10. --out never overwrites an input, and a missing directory is said before any work", () => {
  const bfile = new URL("../../genetics/data/cohort", import.meta.url).pathname;
  const pheno = new URL("../../genetics/data/cohort.pheno.csv", import.meta.url).pathname;

  it("combat --out equal to --data (also through a link) is refused and the data stay as they were", async () => {
    const data = file("input.csv", readFileSync(combatData));
    symlinkSync(data, join(dir, "input-link.csv"));
    linkSync(data, join(dir, "input-hard.csv"));
    for (const out of [data, join(dir, ".", "input.csv"), join(dir, "input-link.csv"), join(dir, "input-hard.csv")]) {
      const r = await run("combat", "--data", data, "--batch", "site", "--features", "shape_*", "--out", out);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--out .*: is the input --data/);
    }
    expect(readFileSync(data)).toEqual(readFileSync(combatData));
  });

  it("grm --out PREFIX.bed (or .bim, .fam) and gwas --out equal to --pheno are refused before reading anything", async () => {
    for (const ext of [".bed", ".bim", ".fam"]) {
      const r = await run("grm", "--bfile", bfile, "--out", bfile + ext);
      expect([r.code, r.stderr]).toEqual([2, `lmm grm: --out ${bfile}${ext}: is the input --bfile (${bfile}${ext}); write the results to another file\n`]);
    }
    const r = await run("gwas", "--bfile", bfile, "--pheno", pheno, "--pheno-col", "y", "--out", pheno);
    expect(r.stderr).toMatch(/--out .*cohort\.pheno\.csv: is the input --pheno/);
  });

  it("a missing output directory is reported first (here even before a missing input)", async () => {
    const out = join(dir, "no-such-dir", "results.tsv");
    const r = await run("gwas", "--bfile", bfile, "--pheno", join(dir, "absent.csv"), "--pheno-col", "y", "--out", out);
    expect([r.code, r.stderr]).toEqual([2, `lmm gwas: --out ${out}: the directory ${join(dir, "no-such-dir")} does not exist; create it first\n`]);
  });
});

describe("9. an I/O failure while writing: exit 2 in one line, the previous file untouched", () => {
  it("grm under a file size limit (EFBIG): the earlier K.txt stays byte for byte, no partial file is left", () => {
    const out = join(mkdtempSync(join(tmpdir(), "lmm-efbig-")), "K.txt");
    writeFileSync(out, "an earlier matrix\n");
    const root = new URL("../../../", import.meta.url).pathname;
    const bfile = new URL("../../genetics/data/cohort", import.meta.url).pathname;
    // 600 × 600 numbers are about 5 MB; the shell lets this process write files of 1 MB at most.
    const command = `ulimit -f 2048 && exec "${process.execPath}" --conditions=source --import tsx packages/cli/src/bin.ts grm --bfile "${bfile}" --out "${out}"`;
    const r = spawnSync("sh", ["-c", command], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`lmm grm: ${out}: cannot write: file too large (for the file system or the process's file size limit) (EFBIG); the previous file is unchanged\n`);
    expect(readFileSync(out, "utf8")).toBe("an earlier matrix\n");
    expect(readdirSync(join(out, ".."))).toEqual(["K.txt"]);
  }, 60_000);
});

describe("9, 11. combat writes atomically and keeps every cell it does not change", () => {
  it("blank stays blank, NA stays NA, pass-through columns and unchanged cells are byte-identical", async () => {
    const source = readFileSync(combatData, "utf8").trim().split("\n");
    // Pass-through columns written in ways a writer would normalise: quotes, padding, leading zeros, CRLF.
    const edited = source.map((l, i) => {
      if (i === 0) return `${l},note`;
      const f = l.split(",");
      f[0] = i % 3 === 0 ? `"${f[0]}"` : f[0];
      if (i === 4) f[3] = "";
      if (i === 9) f[4] = "NA";
      return `${f.join(",")},${i % 2 ? '"a, ""quoted"" note"' : ` 007 `}`;
    });
    const data = file("messy.csv", edited.join("\r\n") + "\r\n");
    const out = join(dir, "harmonised.csv");
    writeFileSync(out, "an earlier result\n");
    const r = await run("combat", "--data", data, "--batch", "site", "--covariates", "grade", "--features", "firstorder_*,shape_*", "--out", out);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const input = readCsvColumns(readFileSync(data)), output = readCsvColumns(readFileSync(out));
    const features = input.names.filter((n) => /^(firstorder|shape)_/.test(n));
    const raw = (t: typeof input) => {
      const text = t.layout.text;
      return t.records(true).map((r) => r.fields.map((_, j) => text.slice(r.spans![2 * j], r.spans![2 * j + 1])));
    };
    const a = raw(input), b = raw(output);
    expect(output.names).toEqual(input.names);
    expect(readFileSync(out, "utf8").split("\r\n")[0]).toBe(edited[0]);
    let changed = 0;
    a.forEach((row, i) => row.forEach((cell, j) => {
      const name = input.names[j];
      if (!features.includes(name)) expect(b[i][j], `${name} line ${i + 2}`).toBe(cell);
      else if (cell === b[i][j]) return;
      else changed++;
    }));
    expect(changed).toBeGreaterThan(0);
    expect([a[3][3], b[3][3]]).toEqual(["", ""]);
    expect([a[8][4], b[8][4]]).toEqual(["NA", "NA"]);
    expect(readFileSync(out, "utf8").includes("lmm-partial")).toBe(false);
  });
});
