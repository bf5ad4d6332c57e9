// The lossless CSV reader: a file is read exactly as written, or refused with one line naming the file,
// the line, the column and the value.
import { describe, expect, it } from "vitest";
import { lmm } from "@lmm/core";
import { table } from "arquero";
import {
  checkFormulaColumns,
  ColumnSchemaError,
  CsvEncodingError,
  CsvFieldCountError,
  CsvHeaderError,
  CsvSyntaxError,
  CsvValueError,
  parseColumnSchema,
  readCsv,
  readCsvColumns,
  rewriteCsv,
  fitEach,
  schemaLevels,
  schemaOrdered,
} from "../src/index.js";

const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join("\n");
const bytes = (text: string) => new TextEncoder().encode(text);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("did not throw");
};

describe("numeric columns never silently become factors", () => {
  it("missing tokens (empty, NA, NaN, null, and the na option) are missing; the column stays numeric", () => {
    const t = readCsvColumns(`age,site\n${rows(4, (i) => `${40 + i},s${i % 2}`)}\nNA,s0\n,s1\nNaN,s0\nnull,s1\n-999,s0\n`, { na: ["-999"] });
    expect(t.column("age").kind).toBe("numeric");
    expect(Array.from(t.numbers("age"))).toEqual([40, 41, 42, 43, NaN, NaN, NaN, NaN, NaN]);
    expect(t.column("age").missing).toBe(5);
  });

  it("readCsv: a column holding NA is numbers, not strings (arquero's fromCSV reads it as text)", () => {
    const table = readCsv(`y,age\n${rows(38, (i) => `${i},${20 + i}`)}\n1,NA\n`);
    expect(table.column("age")).toBeInstanceOf(Float64Array);
    expect(table.get("age", 38)).toBeNaN();
    const m = lmm("y ~ age + (1 | g)", { y: table.array("y"), age: table.array("age"), g: Array.from({ length: 39 }, (_, i) => `g${i % 5}`) } as never);
    expect(m.fixefNames).toEqual(["(Intercept)", "age"]);
  });

  for (const bad of ["Inf", "-Inf", "Infinity", "1e400", '"1,5"', "abc"]) {
    it(`a numeric column with one ${bad} cell is mixed: refused when used as a number, naming line, column and value`, () => {
      const text = `y,Days,g\n${rows(12, (i) => `${i * 1.5},${i === 6 ? bad : i % 10},g${i % 3}`)}\n`;
      const t = readCsvColumns(text, { file: "sleep.csv" });
      expect(t.column("Days").kind).toBe("mixed");
      const e = thrown(() => checkFormulaColumns(t, "y ~ Days + (1 | g)"));
      expect(e).toBeInstanceOf(CsvValueError);
      const value = bad.replace(/"/g, "");
      expect(e.message).toContain(`sleep.csv: line 8, column "Days": value ${JSON.stringify(value)}`);
      expect(e.message.split("\n")).toHaveLength(1);
      expect(thrown(() => readCsv(text, { file: "sleep.csv" })).message).toContain(`line 8, column "Days"`);
    });
  }

  it("Inf and 1e400 are named as not finite; a decimal comma is named as such", () => {
    const t = readCsvColumns(`y,a,b,c\n${rows(5, (i) => `${i},${i === 2 ? "1e400" : i},${i === 3 ? "-Inf" : i},${i === 4 ? '"2,5"' : i}`)}\n`);
    expect(thrown(() => t.numbers("a")).message).toMatch(/line 4, column "a": value "1e400" is not a finite number/);
    expect(thrown(() => t.numbers("b")).message).toMatch(/line 5, column "b": value "-Inf" is not a finite number/);
    expect(thrown(() => t.numbers("c")).message).toMatch(/line 6, column "c": value "2,5" is not a number: numbers are written with a decimal point \(2\.5\)/);
  });

  it("factor(x), a grouping factor and a schema make a mixed column categorical; text columns are factors as before", () => {
    const text = `y,x,g,site\n${rows(12, (i) => `${(i * 7) % 5 + i / 3},${i === 6 ? "unknown" : i % 4},g${i % 3},${i % 2 ? "A" : "B"}`)}\n`;
    const t = readCsvColumns(text);
    checkFormulaColumns(t, "y ~ factor(x) + site + (1 | g)");
    checkFormulaColumns(t, "y ~ site + (1 | x)");
    checkFormulaColumns(t, "y ~ x + (1 | g)", { levels: { x: ["0", "1", "2", "3", "unknown"] } });
    const m = lmm("y ~ factor(x) + site + (1 | g)", t.dataColumns());
    expect(m.fixefNames).toContain("factor(x)unknown");
    expect(thrown(() => checkFormulaColumns(t, "y ~ site + (0 + x | g)"))).toBeInstanceOf(CsvValueError);
    expect(thrown(() => checkFormulaColumns(t, "x ~ site + (1 | g)")).message).toMatch(/line 8, column "x": value "unknown"/);
    expect(thrown(() => checkFormulaColumns(t, "y ~ log(site) + (1 | g)")).message).toMatch(/line 2, column "site": value "B" is not a number/);
    // Every column an expression reads, offsets, weights and the offset option are numbers; a declared ordered column is a factor.
    expect(thrown(() => checkFormulaColumns(t, "I(y / x) ~ site + (1 | g)")).message).toMatch(/line 8, column "x": value "unknown"/);
    expect(thrown(() => checkFormulaColumns(t, "y ~ poly(y + x, 2) + (1 | g)")).message).toMatch(/column "x"/);
    expect(thrown(() => checkFormulaColumns(t, "y ~ site + offset(x) + (1 | g)")).message).toMatch(/column "x"/);
    expect(thrown(() => checkFormulaColumns(t, "y ~ site + (1 | g)", { weights: "x" })).message).toMatch(/line 8, column "x": value "unknown" is not a number/);
    checkFormulaColumns(t, "y ~ x + (1 | g)", { ordered: ["x"] });
  });

  it("a column schema types columns; a cell that does not fit its declared type is an error, never a silent drop", () => {
    const schema = parseColumnSchema('{"columns":[{"name":"n","type":"integer"},{"name":"x","type":"numeric"},{"name":"f","type":"factor","levels":["a","b"]},{"name":"ok","type":"logical"}]}');
    const good = readCsvColumns("n,x,f,ok\n1,2.5,a,TRUE\n2,NA,b,F\n", { schema });
    expect(good.column("f").values).toEqual(["a", "b"]);
    expect(good.column("ok").values).toEqual([true, false]);
    for (const [row, message] of [
      ["1.5,2.5,a,TRUE", /line 3, column "n": value "1.5" is not a whole number \(the column schema declares "n" integer\)/],
      ["1,two,a,TRUE", /line 3, column "x": value "two" is not a number \(the column schema declares "x" numeric\)/],
      ["1,Inf,a,TRUE", /line 3, column "x": value "Inf" is not a finite number/],
      ["1,2,c,TRUE", /line 3, column "f": value "c" is not one of its 2 levels/],
      ["1,2,a,maybe", /line 3, column "ok": value "maybe" is not TRUE or FALSE/],
    ] as const) {
      const e = thrown(() => readCsvColumns(`n,x,f,ok\n1,2,a,TRUE\n${row}\n`, { schema, file: "d.csv" }));
      expect(e).toBeInstanceOf(CsvValueError);
      expect(e.message).toMatch(message);
      expect(e.message.startsWith("d.csv: ")).toBe(true);
    }
    expect(thrown(() => readCsvColumns("n,x\n1,2\n", { schema })).message).toMatch(/the column schema declares column "f", which the file does not have/);
  });
});

describe("the header and the shape of rows", () => {
  it("a duplicate column name is refused, naming it (never the last one silently winning)", () => {
    const e = thrown(() => readCsvColumns("y,x,g,x\n1,2,a,3\n", { file: "t.csv" }));
    expect(e).toBeInstanceOf(CsvHeaderError);
    expect(e.message).toBe('t.csv: line 1: column "x" appears twice (columns 2 and 4); column names must be unique');
  });

  it("rows with too few or too many fields are refused with their line, counting lines inside quotes", () => {
    expect(thrown(() => readCsvColumns("y,x,g\n1,2,a\n3,4\n", { file: "t.csv" })).message).toBe("t.csv: line 3: 2 fields, but the header has 3 columns");
    const e = thrown(() => readCsvColumns('y,x,g\n1,2,"two\nlines"\n3,4,b,extra\n', { file: "t.csv" }));
    expect(e).toBeInstanceOf(CsvFieldCountError);
    expect(e.message).toMatch(/^t\.csv: line 4: 4 fields, but the header has 3 columns \(an unquoted comma inside a value\? quote the value\)$/);
  });

  it("an empty file and broken quoting are refused with the line", () => {
    expect(thrown(() => readCsvColumns("\n\n", { file: "e.csv" })).message).toBe("e.csv: line 1: the file is empty: no header row");
    const open = thrown(() => readCsvColumns('y,g\n1,a\n2,"b\n3,c\n'));
    expect(open).toBeInstanceOf(CsvSyntaxError);
    expect(open.message).toMatch(/line 3: a quoted field is opened here and never closed/);
    expect(thrown(() => readCsvColumns('y,g\n1,"a"b\n')).message).toMatch(/line 2: text after the closing quote of "a"/);
  });

  it("RFC 4180: quoted delimiters, doubled quotes, embedded line breaks, CRLF and CR line ends; blank lines skipped", () => {
    const text = 'id,note,y\r\n"a,1","say ""hi""",1\r\n\r\nb,"two\r\nlines",2\r\nc,,3';
    const t = readCsvColumns(text);
    expect(t.column("id").values).toEqual(["a,1", "b", "c"]);
    expect(t.column("note").values).toEqual(['say "hi"', "two\r\nlines", null]);
    expect(Array.from(t.numbers("y"))).toEqual([1, 2, 3]);
    expect([t.line(0), t.line(1), t.line(2)]).toEqual([2, 4, 6]);
    expect(readCsvColumns("a\tb\r1\t2\r", { delimiter: "\t" }).column("b").values).toEqual(Float64Array.of(2));
  });
});

describe("encodings", () => {
  it("a UTF-8 byte-order mark is stripped, from bytes and from text", () => {
    expect(readCsvColumns(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes("y,x\n1,2\n")])).names).toEqual(["y", "x"]);
    expect(readCsvColumns("\uFEFFy,x\n1,2\n").names).toEqual(["y", "x"]);
  });

  it("bytes that are not UTF-8 are refused with line, byte offset and the hint; latin1 reads them, keeping levels apart", () => {
    const latin = Uint8Array.from([...bytes("y,site\n1,Caf"), 0xe9, ...bytes("\n2,Caf"), 0xe8, ...bytes("\n")]);
    const e = thrown(() => readCsvColumns(latin, { file: "sites.csv" }));
    expect(e).toBeInstanceOf(CsvEncodingError);
    expect(e.message).toBe('sites.csv: line 2, byte offset 12: byte 0xe9 is not UTF-8 text; re-save the file as UTF-8 (e.g. "CSV UTF-8" in Excel), or read it as Latin-1 (encoding "latin1", --encoding latin1)');
    expect(readCsvColumns(latin, { encoding: "latin1" }).column("site").values).toEqual(["Café", "Cafè"]);
    expect(thrown(() => readCsvColumns(Uint8Array.of(0xff, 0xfe, 0x79, 0))).message).toMatch(/UTF-16 text/);
  });
});

describe("any column name works", () => {
  it("__proto__, constructor, spaces and non-ASCII letters are ordinary names, in the reader and in a fit", () => {
    const text = `__proto__,constructor,tumour size,Größe,g\n${rows(24, (i) => `${Math.sin(i) + (i % 4)},${i % 3},${(i * 7) % 5},${i % 2 ? "a" : "b"},g${i % 6}`)}\n`;
    const t = readCsvColumns(text);
    expect(t.names).toEqual(["__proto__", "constructor", "tumour size", "Größe", "g"]);
    const m = lmm("`__proto__` ~ constructor + `tumour size` + `Größe` + (1 | g)", t.dataColumns());
    expect(m.fixefNames).toEqual(["(Intercept)", "constructor", "tumour size", "Größeb"]);
    expect(({} as Record<string, unknown>).g).toBeUndefined();
  });

  it("an Arquero table is only given columns it can hold: asking for __proto__ is a clear error", () => {
    const t = readCsvColumns("y,__proto__\n1,a\n2,b\n", { file: "p.csv" });
    expect(t.arquero(["y"]).numRows()).toBe(2);
    expect(thrown(() => t.arquero()).message).toMatch(/p\.csv: line 1: column "__proto__" cannot be held by an Arquero table/);
    expect(thrown(() => readCsv("y,__proto__\n1,a\n")).message).toMatch(/cannot be held by an Arquero table/);
  });
});

describe("column schema files", () => {
  for (const [text, message] of [
    ["null", /expected an object with a "columns" array, found null/],
    ["[1]", /found an array/],
    ['"x"', /found string/],
    ["{", /not JSON/],
    ["{}", /expected a "columns" array, found none/],
    ['{"columns":[null]}', /columns\[0\] is not an object/],
    ['{"columns":[{"type":"numeric"}]}', /columns\[0\] has no "name" string/],
    ['{"columns":[{"name":"x","type":"float"}]}', /column "x" has type "float"; known types: numeric, integer, factor, ordered, string, logical/],
    ['{"columns":[{"name":"x","type":"factor","levels":"a"}]}', /levels of column "x" must be a list of labels/],
    ['{"columns":[{"name":"x","type":"factor","levels":["a","a"]}]}', /list "a" twice/],
    ['{"columns":[{"name":"x","type":"numeric"},{"name":"x","type":"factor"}]}', /column "x" is declared twice/],
    ['{"columns":[{"name":"x","type":"factor","ordered_in_R":"yes"}]}', /column "x" has "ordered_in_R" "yes"; expected true or false/],
  ] as const) {
    it(`refuses ${text} with a clear error naming the file`, () => {
      const e = thrown(() => parseColumnSchema(text, "d.columns.json"));
      expect(e).toBeInstanceOf(ColumnSchemaError);
      expect(e.message.startsWith("d.columns.json: ")).toBe(true);
      expect(e.message).toMatch(message);
    });
  }
});

describe("ordered factors in a schema", () => {
  it('"type": "ordered" or "ordered_in_R": true declare an ordered factor (contr.poly by default), levels kept', () => {
    const schema = parseColumnSchema('{"columns":[{"name":"grade","type":"ordered","levels":["G1","G2","G3"]},{"name":"visit","type":"factor","levels":["1","2","3"],"ordered_in_R":true},{"name":"site","type":"factor","ordered_in_R":false}]}');
    expect(schemaOrdered(schema)).toEqual(["grade", "visit"]);
    expect(schemaLevels(schema)).toEqual({ grade: ["G1", "G2", "G3"], visit: ["1", "2", "3"] });
    const t = readCsvColumns(bytes("grade,visit,site\nG2,1,a\nG1,3,b\n"), { schema });
    expect(t.column("grade").kind).toBe("text");
    expect(() => readCsvColumns(bytes("grade,visit,site\nG4,1,a\n"), { schema })).toThrow(/is not one of its 3 levels/);
  });
});

describe("writing a file back", () => {
  it("rewriteCsv keeps every cell not replaced byte for byte, blank stays blank, in the file's encoding", () => {
    const text = '\uFEFFid,note,f\r\n"007"," a, b ",1.50\r\nx,"q""r",\r\ny,plain,NA\r\n';
    const t = readCsvColumns(bytes(text));
    const out = rewriteCsv(t, new Map([["f", ["2.25", null, null]]]));
    expect(decode(out)).toBe('id,note,f\r\n"007"," a, b ",2.25\r\nx,"q""r",\r\ny,plain,NA\r\n');
    expect(Array.from(out.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    const latin = Uint8Array.from([...bytes("s,f\nCaf"), 0xe9, ...bytes(",1\n")]);
    const l = readCsvColumns(latin, { encoding: "latin1" });
    expect(Array.from(rewriteCsv(l, new Map([["f", ["1"]]])))).toEqual(Array.from(latin));
  });
});

describe("7. fitEach blames the cell that is wrong, not row 1", () => {
  it("a feature read as text (arquero's own fromCSV) names its first non-number, or says it holds numbers as text", async () => {
    const n = 24;
    const g = Array.from({ length: n }, (_, i) => `g${i % 4}`);
    const f1 = Array.from({ length: n }, (_, i) => (i === 9 ? "abc" : String(Math.sin(i))));
    const f2 = Array.from({ length: n }, (_, i) => (i === 3 ? "NA" : String(Math.cos(i))));
    const r = await fitEach(table({ f1, f2, g }), "{feature} ~ 1 + (1 | g)", ["f1", "f2"]);
    expect(r.fits[0].error?.message).toBe('column "f1", row 10: "abc" is not a number');
    expect(r.fits[1].error?.message).toMatch(/column "f2", row 1: "1" is a number stored as text \(read the file with readCsv/);
  });
});
