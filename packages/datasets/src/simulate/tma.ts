import { Rng } from "@lmm/core/numerics";
import { categorical, label, normal, sign, signif, uniform } from "./draws.js";
import { TableBuilder, type Simulated } from "./tableBuilder.js";

/** Options of {@link simulateTma}. */
export interface TmaOptions {
  /** Seed of the generator (default 20240612, the shipped data). */
  seed?: number;
  /** Number of features (default 25); profiles repeat every 25 features. */
  nFeatures?: number;
  /** Number of patients (default 100). */
  nPatients?: number;
}

/** What dominates a TMA feature's variance. */
export type TmaProfile = "batch" | "patient" | "mixed" | "reader";

/** Generating parameters of one TMA feature (raw units; fractions of patient + batch + reader + residual). */
export interface TmaFeatureTruth {
  feature: string;
  profile: TmaProfile;
  intercept: number;
  patientVariance: number;
  batchVariance: number;
  readerVariance: number;
  residualVariance: number;
  fractions: { patient: number; batch: number; reader: number; residual: number };
  gradeG2: number;
  gradeG3: number;
  biological: boolean;
}

/** Everything that generated the TMA table, including the realised random effects (raw units). */
export interface TmaTruth {
  seed: number;
  model: string;
  /** Day on which each staining batch was run (batch is nested in day; day has no effect of its own). */
  batchDay: Record<string, string>;
  features: TmaFeatureTruth[];
  patientEffects: { patients: string[]; values: number[][] };
  batchEffects: { batches: string[]; values: number[][] };
  readerEffects: { readers: string[]; values: number[][] };
}

/** Fraction ranges [patient, batch, reader] per profile; the residual takes the rest (at least 0.12). */
const PROFILE_RANGES: Record<TmaProfile, [number, number][]> = {
  batch: [[0.15, 0.25], [0.4, 0.55], [0.02, 0.08]],
  patient: [[0.45, 0.7], [0.03, 0.12], [0.01, 0.05]],
  mixed: [[0.25, 0.4], [0.15, 0.3], [0.05, 0.15]],
  reader: [[0.1, 0.25], [0.02, 0.08], [0.15, 0.3]],
};
const N_BATCHES = 8;
const N_READERS = 3;
const r8 = (x: number) => signif(x, 8);

function profileOf(f: number): TmaProfile {
  const k = f % 25;
  return k < 5 ? "batch" : k < 15 ? "patient" : k < 20 ? "mixed" : "reader";
}

/**
 * Simulates the tissue-microarray staining table: patients with 3–5 cores each, every core stained in one
 * of 8 batches (2 per day over 4 days; crossed with patient) and scored by one of 3 readers, tumour grade per
 * patient, and features whose patient / batch / reader / residual variance fractions vary by profile
 * (features 1–5 batch-dominated, 6–15 patient-dominated, 16–20 mixed, 21–25 reader-heavy).
 *
 * @example
 * ```ts
 * const { table, truth } = simulateTma({ nFeatures: 1000 }); // a bench-sized variant
 * truth.features[0].fractions.batch;
 * ```
 */
export function simulateTma(options: TmaOptions = {}): Simulated<TmaTruth> {
  const seed = options.seed ?? 20240612;
  const nFeatures = options.nFeatures ?? 25;
  const nPatients = options.nPatients ?? 100;
  const rng = new Rng(seed);
  const patients = Array.from({ length: nPatients }, (_, p) => label("T", p + 1, 3));
  const batches = Array.from({ length: N_BATCHES }, (_, b) => label("B", b + 1, 1));
  const days = Array.from({ length: N_BATCHES / 2 }, (_, d) => label("D", d + 1, 1));
  const readers = Array.from({ length: N_READERS }, (_, r) => label("R", r + 1, 1));

  const patientGrade = patients.map(() => categorical(rng, [0.3, 0.45, 0.25]));
  const cores: { patient: number; core: number; batch: number; reader: number }[] = [];
  patients.forEach((_, p) => {
    const n = 3 + categorical(rng, [0.25, 0.5, 0.25]);
    for (let c = 0; c < n; c++) cores.push({ patient: p, core: c, batch: rng.int(N_BATCHES), reader: rng.int(N_READERS) });
  });
  const nRows = cores.length;

  const features: TmaFeatureTruth[] = [];
  for (let f = 0; f < nFeatures; f++) {
    const profile = profileOf(f);
    const [patient, batch, reader] = PROFILE_RANGES[profile].map(([lo, hi]) => uniform(rng, lo, hi));
    const residual = 1 - patient - batch - reader;
    const intercept = Math.pow(10, uniform(rng, 0, 2.5));
    const total = Math.pow(intercept * uniform(rng, 0.1, 0.3), 2);
    const biological = f % 2 === 0;
    const g2 = biological ? sign(rng) * uniform(rng, 0.4, 1) * Math.sqrt(total * patient) : 0;
    features.push({
      feature: label("feature_", f + 1, 2), profile, intercept: r8(intercept),
      patientVariance: r8(total * patient), batchVariance: r8(total * batch), readerVariance: r8(total * reader), residualVariance: r8(total * residual),
      fractions: { patient: r8(patient), batch: r8(batch), reader: r8(reader), residual: r8(residual) },
      gradeG2: r8(g2), gradeG3: r8(g2 * uniform(rng, 1.5, 2.5)), biological,
    });
  }

  const draw = (n: number, variance: (ft: TmaFeatureTruth) => number) =>
    Array.from({ length: n }, () => features.map((ft) => normal(rng, 0, Math.sqrt(variance(ft)))));
  const patientEffect = draw(nPatients, (ft) => ft.patientVariance);
  const batchEffect = draw(N_BATCHES, (ft) => ft.batchVariance);
  const readerEffect = draw(N_READERS, (ft) => ft.readerVariance);

  const values = features.map((ft, f) =>
    Float64Array.from(cores, ({ patient, batch, reader }) => {
      const g = patientGrade[patient];
      const grade = g === 1 ? ft.gradeG2 : g === 2 ? ft.gradeG3 : 0;
      return ft.intercept + grade + patientEffect[patient][f] + batchEffect[batch][f] + readerEffect[reader][f] + normal(rng, 0, Math.sqrt(ft.residualVariance));
    }),
  );

  const builder = new TableBuilder("tma", nRows)
    .factor("core", cores.map(({ patient, core }) => `${patients[patient]}-${core + 1}`), cores.map((_, i) => i))
    .factor("patient", patients, cores.map((c) => c.patient))
    .factor("grade", ["G1", "G2", "G3"], cores.map((c) => patientGrade[c.patient]))
    .factor("batch", batches, cores.map((c) => c.batch))
    .factor("day", days, cores.map((c) => c.batch >> 1))
    .factor("reader", readers, cores.map((c) => c.reader));
  features.forEach((ft, f) => builder.numeric(ft.feature, values[f]));

  const round = (m: number[][]) => m.map((v) => v.map(r8));
  const batchDay: Record<string, string> = Object.create(null);
  batches.forEach((b, i) => (batchDay[b] = days[i >> 1]));
  return {
    table: builder.build(),
    truth: {
      seed,
      model:
        "feature = intercept + beta_grade + u_patient + b_batch + r_reader + eps; u ~ N(0, patientVariance), b ~ N(0, batchVariance), " +
        "r ~ N(0, readerVariance), eps ~ N(0, residualVariance); batch nested in day, day has no effect of its own",
      batchDay,
      features,
      patientEffects: { patients, values: round(patientEffect) },
      batchEffects: { batches, values: round(batchEffect) },
      readerEffects: { readers, values: round(readerEffect) },
    },
  };
}
