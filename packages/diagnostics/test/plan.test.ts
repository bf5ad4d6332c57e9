// The pre-specified analysis plan: canonical JSON, SHA-256 fingerprint, validation, run.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { coefficients, FormulaSyntaxError, LmmError, lmm } from "@lmm/core";
import { canonicalJson, dataFingerprint, plan, PlanDataError, PlanFieldError, PlanIntegrityError, run, sha256Hex, UnknownDiagnosticError, type PlanSpec } from "../src/index.js";
import { loadDataset } from "../../../test/support/reference.js";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

const base: PlanSpec = {
  formula: "Reaction ~ Days + (Days | Subject)",
  reml: true,
  optimizer: "bobyqa",
  diagnostics: ["residuals", { name: "influence", group: "Subject" }, { name: "qq", nsim: 9 }],
  missing: "omit",
  contrasts: {},
  hypotheses: [{ name: "slope", coefficients: { Days: 1 }, rhs: 0 }],
  alpha: 0.05,
};

describe("canonical JSON and SHA-256", () => {
  it("sorts keys, writes numbers in shortest form, refuses what JSON cannot hold", () => {
    expect(canonicalJson({ b: [1, 2.5, -0], a: { y: "é", x: null }, c: Float64Array.of(1e21, 0.1) })).toBe('{"a":{"x":null,"y":"é"},"b":[1,2.5,0],"c":[1e+21,0.1]}');
    expect(() => canonicalJson({ a: NaN })).toThrow(LmmError);
    expect(() => canonicalJson({ a: undefined })).toThrow(/value\.a/);
  });

  it("Web Crypto's digest agrees with node:crypto", async () => {
    for (const text of ["", "abc", canonicalJson(base), "ünïcödé ✓"]) expect(await sha256Hex(text)).toBe(sha256(text));
  });
});

describe("plan", () => {
  it("is frozen, carries its canonical JSON and the SHA-256 of it", async () => {
    const p = await plan(base);
    expect(Object.isFrozen(p) && Object.isFrozen(p.spec) && Object.isFrozen(p.spec.diagnostics[1])).toBe(true);
    expect(() => ((p.spec as { alpha: number }).alpha = 0.1)).toThrow(TypeError);
    expect(p.canonical).toBe(canonicalJson(p.spec));
    expect(p.fingerprint).toBe(sha256(p.canonical));
    expect(p.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is stable across runs, key orders and spelled-out defaults", async () => {
    const a = await plan(base);
    const b = await plan(base);
    const reordered = await plan({ alpha: 0.05, hypotheses: [{ rhs: 0, coefficients: { Days: 1 }, name: "slope" }], contrasts: {}, missing: "omit", diagnostics: ["residuals", { group: "Subject", name: "influence" }, { nsim: 9, name: "qq" }], optimizer: "bobyqa", reml: true, formula: base.formula });
    const minimal = await plan({ formula: base.formula, diagnostics: ["residuals", { name: "influence", group: "Subject", start: "warm" }, { name: "qq", nsim: 9, seed: 1 }], hypotheses: [{ name: "slope", coefficients: { Days: 1 } }] });
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(reordered.fingerprint).toBe(a.fingerprint);
    expect(minimal.fingerprint).toBe(a.fingerprint);
  });

  it("changes with any field", async () => {
    const variants: PlanSpec[] = [
      { ...base, formula: "Reaction ~ Days + (1 | Subject)" },
      { ...base, reml: false },
      { ...base, diagnostics: ["residuals", { name: "influence", group: "Subject" }] },
      { ...base, diagnostics: ["residuals", { name: "influence", group: "Subject", start: "cold" }, { name: "qq", nsim: 9 }] },
      { ...base, diagnostics: ["residuals", { name: "influence", group: "Subject" }, { name: "qq", nsim: 9, seed: 2 }] },
      { ...base, missing: "fail" },
      { ...base, contrasts: { Subject: { type: "treatment", reference: "309" } } },
      { ...base, hypotheses: [{ name: "slope", coefficients: { Days: 1 }, rhs: 10 }] },
      { ...base, hypotheses: [{ name: "slope2", coefficients: { Days: 1 }, rhs: 0 }] },
      { ...base, ddf: "kenward-roger" },
      { ...base, hypotheses: [] },
      { ...base, alpha: 0.01 },
    ];
    const prints = new Set([(await plan(base)).fingerprint]);
    for (const v of variants) prints.add((await plan(v)).fingerprint);
    expect(prints.size).toBe(variants.length + 1);
  });

  it("refuses an invalid plan with a typed error naming the field", async () => {
    await expect(plan({ ...base, diagnostics: ["residuals", "levrage"] as never })).rejects.toThrow(UnknownDiagnosticError);
    await expect(plan({ ...base, diagnostics: ["levrage"] as never })).rejects.toThrow(/"levrage".*residuals/);
    await expect(plan({ ...base, formula: "Reaction ~ Days + (Days | Subject" })).rejects.toThrow(FormulaSyntaxError);
    await expect(plan({ ...base, alpha: 2 })).rejects.toThrow(PlanFieldError);
    await expect(plan({ ...base, diagnostic: [] } as never)).rejects.toThrow(/diagnostic.*unknown field/);
    await expect(plan({ ...base, diagnostics: [{ name: "influence" }] as never })).rejects.toThrow(/diagnostics\[0\]\.group/);
    await expect(plan({ ...base, contrasts: { Subject: "sum" } as never })).rejects.toThrow(/contrasts\.Subject/);
    for (const bad of [plan({ ...base, ddf: "none" as never }), plan({ ...base, alpha: 2 }), plan({ ...base, diagnostics: ["x"] as never })]) await expect(bad).rejects.toBeInstanceOf(LmmError);
  });
});

describe("run", () => {
  const ds = loadDataset("sleepstudy");

  it("fits, runs exactly the listed diagnostics in order, and carries both fingerprints", async () => {
    const p = await plan(base);
    const report = await run(p, ds.data);
    expect(report.planFingerprint).toBe(p.fingerprint);
    expect(report.dataFingerprint).toBe(await dataFingerprint(ds.data));
    expect(report.diagnostics.map((d) => d.spec.name)).toEqual(["residuals", "influence", "qq"]);
    const m = lmm(base.formula, ds.data, { levels: ds.levels });
    expect(report.model.objective).toBeCloseTo(m.objective, 6);
    // A one-coefficient hypothesis is the coefficient's Wald t test.
    const days = m.fixef()[1];
    expect(report.hypotheses[0].t).toBeCloseTo(days.tValue, 6);
    // With the plan's default df method, the df and p the report and lmerTest print (Satterthwaite).
    const satterthwaite = coefficients(m, { ddf: "satterthwaite" })[1];
    expect(report.plan.ddf).toBe("satterthwaite");
    expect(report.hypotheses[0].df).toBeCloseTo(satterthwaite.df, 8);
    expect(report.hypotheses[0].pValue).toBeCloseTo(satterthwaite.pValue, 12);
    expect(report.hypotheses[0].rejected).toBe(true);
  });

  it("tests the hypotheses with the plan's pre-specified df method", async () => {
    const m = lmm(base.formula, ds.data, { levels: ds.levels });
    for (const ddf of ["residual", "kenward-roger"] as const) {
      const report = await run(await plan({ ...base, diagnostics: [], ddf }), ds.data);
      const row = coefficients(m, { ddf })[1];
      expect(report.hypotheses[0].df).toBeCloseTo(row.df, 8);
      expect(report.hypotheses[0].se).toBeCloseTo(row.stdError, 10);
    }
    const residual = await run(await plan({ ...base, diagnostics: [], ddf: "residual" }), ds.data);
    expect(residual.hypotheses[0].df).toBe(178);
    // A right-hand side shifts the estimate, not the standard error or df.
    const shifted = await run(await plan({ ...base, diagnostics: [], hypotheses: [{ name: "slope = 10", coefficients: { Days: 1 }, rhs: 10 }] }), ds.data);
    const plain = await run(await plan({ ...base, diagnostics: [] }), ds.data);
    expect(shifted.hypotheses[0].estimate).toBeCloseTo(plain.hypotheses[0].estimate - 10, 10);
    expect(shifted.hypotheses[0].se).toBe(plain.hypotheses[0].se);
  });

  it("a contrast's reference level reorders the factor", async () => {
    const p = await plan({ formula: "Reaction ~ Days + Subject + (1 | Subject)", contrasts: { Subject: { type: "treatment", reference: "372" } } });
    const report = await run(p, ds.data);
    const names = Object.keys(report.model.fixef);
    expect(names).toContain("Subject308");
    expect(names).not.toContain("Subject372");
  });

  it("the data fingerprint depends on values only, not on column order or array type", async () => {
    const a = await dataFingerprint({ y: [1, 2.5], g: ["a", "b"] });
    expect(await dataFingerprint({ g: ["a", "b"], y: Float64Array.of(1, 2.5) })).toBe(a);
    expect(await dataFingerprint({ g: ["a", "b"], y: [1, 2.5000000000000004] })).not.toBe(a);
    expect(await dataFingerprint({ g: ["a", "c"], y: [1, 2.5] })).not.toBe(a);
  });

  it("no report from data that do not match the plan, or from an altered plan", async () => {
    const p = await plan(base);
    const { Days: _, ...noDays } = ds.data;
    await expect(run(p, noDays)).rejects.toThrow(PlanDataError);
    await expect(run(p, noDays)).rejects.toThrow(/"Days" not found/);
    const wrongGroup = await plan({ ...base, diagnostics: [{ name: "shrinkage", group: "Days" }] });
    await expect(run(wrongGroup, ds.data)).rejects.toThrow(/shrinkage's grouping "Days"/);
    const badCoef = await plan({ ...base, hypotheses: [{ name: "h", coefficients: { Dayz: 1 } }] });
    await expect(run(badCoef, ds.data)).rejects.toThrow(/"Dayz"/);
    const forged = { ...p, spec: { ...p.spec, alpha: 0.5 } };
    await expect(run(forged, ds.data)).rejects.toThrow(PlanIntegrityError);
  });

  it("a column called __proto__ is an ordinary name in plans, contrasts and deletions", async () => {
    const g = Array.from({ length: 40 }, (_, i) => `g${i % 5}`);
    const data: Record<string, unknown[]> = Object.create(null);
    data.y = g.map((_, i) => Math.sin(i) + (i % 5));
    data.x = g.map((_, i) => i / 10);
    data["__proto__"] = g;
    const p = await plan({ formula: "y ~ x + (1 | __proto__)", contrasts: JSON.parse('{"__proto__": "treatment"}'), diagnostics: [{ name: "influence", group: "__proto__" }] });
    expect(p.canonical).toContain('"contrasts":{"__proto__":{"reference":null,"type":"treatment"}}');
    const report = await run(p, data);
    const infl = report.diagnostics[0].result as { levels: { level: string }[] };
    expect(infl.levels.map((l) => l.level)).toEqual(["g0", "g1", "g2", "g3", "g4"]);
    expect(({} as Record<string, unknown>).type).toBeUndefined();
  });
});
