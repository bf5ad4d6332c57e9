import { Rng } from "@lmm/core/numerics";
import { label, normal, signif } from "./draws.js";
import { TableBuilder, type Simulated } from "./tableBuilder.js";

/** Options of {@link simulateClinics}. */
export interface ClinicsOptions {
  /** Seed of the generator (default 20240613, the shipped data). */
  seed?: number;
  /** Number of clinics (default 20). */
  nClinics?: number;
  /** Whether to plant the two outlying clinics (default true). */
  outliers?: boolean;
}

/** A clinic whose data were perturbed on purpose, for influence diagnostics. */
export interface PlantedOutlier {
  clinic: string;
  kind: "shift" | "programSlope";
  /** Added to every observation (`shift`) or, per unit of time, to the program patients' observations (`programSlope`). */
  amount: number;
  description: string;
}

/** Everything that generated the clinic trial table. */
export interface ClinicsTruth {
  seed: number;
  formula: string;
  /** Fixed effects named as lme4 names them for `y ~ program * time`. */
  fixed: Record<string, number>;
  clinicVariance: number;
  /** Covariance of (intercept, time) per clinic:patient, row-major 2 × 2. */
  patientCovariance: [[number, number], [number, number]];
  residualVariance: number;
  dropoutPerVisit: number;
  outliers: PlantedOutlier[];
  /** Realised clinic intercepts, without the planted perturbations. */
  clinicEffects: { clinics: string[]; values: number[] };
  /** Realised (intercept, slope) per `clinic:patient`. */
  patientEffects: { groups: string[]; intercept: number[]; slope: number[] };
}

const FIXED = { "(Intercept)": 140, programyes: 0, time: -0.8, "programyes:time": -1.5 };
const CLINIC_SD = 4;
const PATIENT_SD = [8, 1.2];
const PATIENT_CORRELATION = -0.3;
const RESIDUAL_SD = 5;
const DROPOUT = 0.07;
const r8 = (x: number) => signif(x, 8);

/**
 * Simulates a longitudinal trial for `y ~ program * time + (1|clinic) + (1 + time|clinic:patient)`:
 * clinics of 6–16 patients, patients randomised within clinic to the program (`program` = yes / no),
 * visits at time 0..5 with dropout, patient labels reused across clinics (P01, P02, … in every clinic,
 * so the patient term must be written `clinic:patient`), and two planted outlying clinics:
 * C07 shifted by +20 and C16 where the program raises y by 2.5 per time unit instead of lowering it.
 *
 * @example
 * ```ts
 * const { truth } = simulateClinics({ outliers: false });
 * truth.fixed["programyes:time"]; // -1.5
 * ```
 */
export function simulateClinics(options: ClinicsOptions = {}): Simulated<ClinicsTruth> {
  const seed = options.seed ?? 20240613;
  const nClinics = options.nClinics ?? 20;
  const rng = new Rng(seed);
  const clinics = Array.from({ length: nClinics }, (_, c) => label("C", c + 1, 2));
  const outliers: PlantedOutlier[] =
    options.outliers === false || nClinics < 16
      ? []
      : [
          { clinic: "C07", kind: "shift", amount: 20, description: "every observation of clinic C07 raised by 20 (about 5 clinic SDs)" },
          { clinic: "C16", kind: "programSlope", amount: 2.5, description: "program patients of clinic C16 gain 2.5 per time unit (the program lowers y elsewhere)" },
        ];
  const clinicEffect = clinics.map(() => normal(rng, 0, CLINIC_SD));
  const cov = PATIENT_CORRELATION * PATIENT_SD[0] * PATIENT_SD[1];

  const rows = { clinic: [] as number[], patient: [] as number[], program: [] as number[], time: [] as number[], y: [] as number[] };
  const groups: string[] = [], intercepts: number[] = [], slopes: number[] = [];
  let maxPatients = 0;
  clinics.forEach((clinic, c) => {
    const nPatients = 6 + rng.int(11);
    maxPatients = Math.max(maxPatients, nPatients);
    const shift = outliers.find((o) => o.clinic === clinic && o.kind === "shift")?.amount ?? 0;
    const programSlope = outliers.find((o) => o.clinic === clinic && o.kind === "programSlope")?.amount ?? 0;
    for (let p = 0; p < nPatients; p++) {
      const program = rng.uniform() < 0.5 ? 1 : 0;
      // (b0, b1) ~ N(0, Σ) through the Cholesky factor of Σ.
      const z0 = rng.normal(), z1 = rng.normal();
      const b0 = PATIENT_SD[0] * z0;
      const b1 = (cov / PATIENT_SD[0]) * z0 + Math.sqrt(PATIENT_SD[1] ** 2 - (cov / PATIENT_SD[0]) ** 2) * z1;
      groups.push(`${clinic}:${label("P", p + 1, 2)}`);
      intercepts.push(r8(b0));
      slopes.push(r8(b1));
      for (let t = 0; t <= 5; t++) {
        if (t >= 1 && rng.uniform() < DROPOUT) break;
        const mean = FIXED["(Intercept)"] + FIXED.programyes * program + (FIXED.time + FIXED["programyes:time"] * program) * t;
        const y = mean + clinicEffect[c] + shift + b0 + b1 * t + programSlope * program * t + normal(rng, 0, RESIDUAL_SD);
        rows.clinic.push(c); rows.patient.push(p); rows.program.push(program); rows.time.push(t); rows.y.push(y);
      }
    }
  });

  const table = new TableBuilder("clinics", rows.y.length)
    .factor("clinic", clinics, rows.clinic)
    .factor("patient", Array.from({ length: maxPatients }, (_, p) => label("P", p + 1, 2)), rows.patient)
    .factor("program", ["no", "yes"], rows.program)
    .numeric("time", rows.time)
    .numeric("y", rows.y, 6)
    .build();
  return {
    table,
    truth: {
      seed,
      formula: "y ~ program * time + (1|clinic) + (1 + time|clinic:patient)",
      fixed: { ...FIXED },
      clinicVariance: CLINIC_SD ** 2,
      patientCovariance: [[PATIENT_SD[0] ** 2, r8(cov)], [r8(cov), r8(PATIENT_SD[1] ** 2)]],
      residualVariance: RESIDUAL_SD ** 2,
      dropoutPerVisit: DROPOUT,
      outliers,
      clinicEffects: { clinics, values: clinicEffect.map(r8) },
      patientEffects: { groups, intercept: intercepts, slope: slopes },
    },
  };
}
