import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { qchisq } from "@lmm/core/numerics";
import { clinics, radiomics, simulateClinics, simulateRadiomics, simulateTma, tma, type Dataset } from "../src/index.js";
import { columnsJson, toCsv, truthJson } from "../src/format.js";
import * as generatedRadiomics from "../src/generated/radiomics.js";
import * as generatedTma from "../src/generated/tma.js";
import * as generatedClinics from "../src/generated/clinics.js";

const dataFile = (name: string) => readFileSync(new URL(`../data/${name}`, import.meta.url), "utf8");
const shipped = [
  { name: "radiomics", module: generatedRadiomics, simulate: simulateRadiomics },
  { name: "tma", module: generatedTma, simulate: simulateTma },
  { name: "clinics", module: generatedClinics, simulate: simulateClinics },
] as const;

/**
 * The realised residuals of a feature must look like draws with the stated variance: their mean square
 * (true means known, so n degrees of freedom) lies within the central 1 − 0.002/m chi-square interval
 * (two-sided, Bonferroni over the m features checked). The data are fixed by the seed, so this either holds
 * for the shipped files or points at a truth that does not match the data.
 */
function expectVarianceConsistent(residuals: Float64Array, variance: number, m: number) {
  let ss = 0;
  for (const r of residuals) ss += r * r;
  const n = residuals.length;
  const alpha = 0.002 / m;
  const ratio = ss / n / variance;
  expect(ratio).toBeGreaterThan(qchisq(alpha / 2, n) / n);
  expect(ratio).toBeLessThan(qchisq(1 - alpha / 2, n) / n);
}

const codesOf = (d: Dataset<unknown>, column: string) => {
  const index = new Map(d.levels[column].map((l, i) => [l, i]));
  return Int32Array.from(d.columns[column] as string[], (v) => index.get(v)!);
};

describe("shipped files", () => {
  for (const { name, module, simulate } of shipped) {
    it(`${name}: module, CSV, columns.json and truth.json are what the seeded simulator gives`, () => {
      const fresh = simulate();
      expect(module.table).toEqual(fresh.table);
      expect(module.truth).toEqual(fresh.truth);
      expect(dataFile(`${name}.csv`)).toBe(toCsv(fresh.table));
      expect(dataFile(`${name}.columns.json`)).toBe(columnsJson(fresh.table, fresh.truth.seed));
      expect(dataFile(`${name}.truth.json`)).toBe(truthJson(fresh.truth));
      for (const file of [`${name}.csv`, `${name}.truth.json`]) expect(dataFile(file).length).toBeLessThan(1_000_000);
    });
  }

  it("loaders return fresh copies", () => {
    const a = tma();
    (a.columns.feature_01 as Float64Array)[0] = NaN;
    a.truth.features[0].batchVariance = -1;
    const b = tma();
    expect(Number.isNaN((b.columns.feature_01 as Float64Array)[0])).toBe(false);
    expect(b.truth.features[0].batchVariance).toBeGreaterThan(0);
  });
});

describe("radiomics", () => {
  const d = radiomics();
  it("has the promised design", () => {
    expect(d.levels.site).toHaveLength(12);
    expect(d.levels.patient.length).toBe(470);
    expect(d.nRows).toBeGreaterThan(1300);
    expect(d.nRows).toBeLessThan(1600);
    const sizes = d.truth.sites.map((s) => s.nPatients);
    expect(Math.min(...sizes)).toBeLessThanOrEqual(5);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(60);
    expect(d.names.filter((n) => n.startsWith("f_"))).toHaveLength(24);
    // one vendor per site
    const site = d.columns.site as string[], vendor = d.columns.vendor as string[];
    const vendorsOfSite = new Map<string, Set<string>>();
    site.forEach((s, i) => vendorsOfSite.set(s, (vendorsOfSite.get(s) ?? new Set()).add(vendor[i])));
    for (const vendors of vendorsOfSite.values()) expect(vendors.size).toBe(1);
  });

  it("truth reproduces the data: standardised residuals have unit variance", () => {
    const { truth } = d;
    const patient = codesOf(d, "patient"), site = codesOf(d, "site"), grade = codesOf(d, "grade");
    const time = d.columns.time as Float64Array;
    for (const [f, ft] of truth.features.entries()) {
      const x = d.columns[ft.feature] as Float64Array;
      const eps = Float64Array.from(x, (v, i) => {
        const g = grade[i] === 1 ? ft.gradeG2 : grade[i] === 2 ? ft.gradeG3 : 0;
        const mean = ft.alpha + g + ft.timeSlope * time[i] + truth.patientEffects.values[patient[i]][f] + truth.siteEffects.location[site[i]][f];
        return (v - mean) / Math.sqrt(truth.siteEffects.scale[site[i]][f]);
      });
      expectVarianceConsistent(eps, ft.residualVariance, truth.features.length);
    }
  });
});

describe("tma", () => {
  const d = tma();
  it("has the promised design", () => {
    expect(d.levels.patient).toHaveLength(100);
    expect(d.levels.batch).toHaveLength(8);
    expect(d.levels.reader).toHaveLength(3);
    expect(d.nRows).toBeGreaterThan(350);
    expect(d.nRows).toBeLessThan(450);
    const batch = d.columns.batch as string[], day = d.columns.day as string[];
    batch.forEach((b, i) => expect(day[i]).toBe(d.truth.batchDay[b]));
    expect(d.truth.features.filter((f) => f.fractions.batch > f.fractions.patient).length).toBeGreaterThanOrEqual(5);
    for (const f of d.truth.features) {
      const { patient, batch, reader, residual } = f.fractions;
      expect(patient + batch + reader + residual).toBeCloseTo(1, 6);
      expect(residual).toBeGreaterThan(0.1);
    }
  });

  it("truth reproduces the data: residuals have the stated variance", () => {
    const { truth } = d;
    const patient = codesOf(d, "patient"), batch = codesOf(d, "batch"), reader = codesOf(d, "reader"), grade = codesOf(d, "grade");
    for (const [f, ft] of truth.features.entries()) {
      const x = d.columns[ft.feature] as Float64Array;
      const e = Float64Array.from(x, (v, i) => {
        const g = grade[i] === 1 ? ft.gradeG2 : grade[i] === 2 ? ft.gradeG3 : 0;
        return v - ft.intercept - g - truth.patientEffects.values[patient[i]][f] - truth.batchEffects.values[batch[i]][f] - truth.readerEffects.values[reader[i]][f];
      });
      expectVarianceConsistent(e, ft.residualVariance, truth.features.length);
    }
  });
});

describe("clinics", () => {
  const d = clinics();
  it("has the promised design", () => {
    expect(d.levels.clinic).toHaveLength(20);
    expect(new Set(d.columns.time as Float64Array)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    expect(d.truth.outliers.map((o) => o.clinic)).toEqual(["C07", "C16"]);
    // patient labels recur across clinics, so only clinic:patient identifies a patient
    const clinic = d.columns.clinic as string[], patient = d.columns.patient as string[];
    const clinicsOfP01 = new Set(clinic.filter((_, i) => patient[i] === "P01"));
    expect(clinicsOfP01.size).toBe(20);
  });

  it("truth reproduces the data, planted outliers included", () => {
    const { truth } = d;
    const clinic = codesOf(d, "clinic");
    const clinicLabel = d.columns.clinic as string[], patient = d.columns.patient as string[], program = d.columns.program as string[];
    const time = d.columns.time as Float64Array, y = d.columns.y as Float64Array;
    const group = new Map(truth.patientEffects.groups.map((g, i) => [g, i]));
    const e = Float64Array.from(y, (v, i) => {
      const p = program[i] === "yes" ? 1 : 0, t = time[i];
      const k = group.get(`${clinicLabel[i]}:${patient[i]}`)!;
      const planted = truth.outliers.filter((o) => o.clinic === clinicLabel[i]).reduce((s, o) => s + (o.kind === "shift" ? o.amount : o.amount * p * t), 0);
      const fixed = truth.fixed["(Intercept)"] + truth.fixed.programyes * p + truth.fixed.time * t + truth.fixed["programyes:time"] * p * t;
      return v - fixed - truth.clinicEffects.values[clinic[i]] - truth.patientEffects.intercept[k] - truth.patientEffects.slope[k] * t - planted;
    });
    expectVarianceConsistent(e, truth.residualVariance, 1);
  });

  it("without outliers the simulator plants none", () => {
    expect(simulateClinics({ outliers: false }).truth.outliers).toEqual([]);
  });
});
