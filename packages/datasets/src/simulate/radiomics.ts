import { Rng } from "@lmm/core/numerics";
import { categorical, correlatedUnitNormals, factorLoadings, gamma, inverseGamma, label, normal, sign, signif, uniform } from "./draws.js";
import { TableBuilder, type Simulated } from "./tableBuilder.js";

/** Options of {@link simulateRadiomics}. */
export interface RadiomicsOptions {
  /** Seed of the generator (default 20240611, the shipped data). */
  seed?: number;
  /** Number of features (default 24; beyond 24 they are named `f_texture_NNNN`). */
  nFeatures?: number;
}

/** Generating parameters of one radiomics feature, in the feature's own (raw) units. */
export interface RadiomicsFeatureTruth {
  feature: string;
  family: "firstorder" | "shape" | "texture";
  /** Raw value = alpha + sigma · (standardised value). */
  alpha: number;
  sigma: number;
  /** Variance of the patient random intercept. */
  patientVariance: number;
  /** Variance of the site random intercept within vendor (ξ). */
  siteVariance: number;
  /** Variance of the vendor shift shared by the sites of one vendor. */
  vendorVariance: number;
  /** Residual variance at a site of scale 1 (site s multiplies it by `siteEffects.scale[s][f]`). */
  residualVariance: number;
  /** Grade effects relative to G1. */
  gradeG2: number;
  gradeG3: number;
  /** Change per unit of `time`. */
  timeSlope: number;
  /** Whether grade changes this feature. */
  biological: boolean;
}

/** Everything that generated the radiomics table, including the realised random effects (raw units). */
export interface RadiomicsTruth {
  seed: number;
  model: string;
  sites: { site: string; vendor: string; nPatients: number; scaleMean: number; gradeProbabilities: number[] }[];
  features: RadiomicsFeatureTruth[];
  /** `location[s][f]`: vendor shift + site deviation of site s on feature f; `scale[s][f]`: δ² multiplying the residual variance. */
  siteEffects: { sites: string[]; location: number[][]; scale: number[][] };
  vendorEffects: { vendors: string[]; values: number[][] };
  patientEffects: { patients: string[]; values: number[][] };
}

const SITE_SIZES = [3, 4, 5, 10, 18, 26, 34, 44, 58, 68, 88, 112];
const VENDORS = ["Canon", "GE", "Philips", "Siemens"];
const SITE_VENDOR = [1, 3, 2, 0, 1, 3, 2, 1, 3, 2, 1, 3];
const SCANS_PROBABILITIES = [0.1, 0.2, 0.35, 0.25, 0.1];
const FEATURES: [string, RadiomicsFeatureTruth["family"]][] = [
  ["firstorder_Mean", "firstorder"], ["firstorder_Energy", "firstorder"], ["firstorder_Entropy", "firstorder"],
  ["firstorder_Kurtosis", "firstorder"], ["firstorder_Skewness", "firstorder"], ["firstorder_Variance", "firstorder"],
  ["firstorder_Range", "firstorder"], ["shape_Volume", "shape"], ["shape_Sphericity", "shape"],
  ["shape_Elongation", "shape"], ["glcm_Contrast", "texture"], ["glcm_Correlation", "texture"],
  ["glcm_JointEnergy", "texture"], ["glcm_Idm", "texture"], ["glcm_ClusterShade", "texture"],
  ["glrlm_RunEntropy", "texture"], ["glrlm_ShortRunEmphasis", "texture"], ["glrlm_GrayLevelNonUniformity", "texture"],
  ["glszm_ZoneEntropy", "texture"], ["glszm_SmallAreaEmphasis", "texture"], ["gldm_DependenceEntropy", "texture"],
  ["ngtdm_Coarseness", "texture"], ["ngtdm_Busyness", "texture"], ["wavelet_LLH_firstorder_Mean", "texture"],
];
/** Site location variance (standardised units) by family: shape features are the least scanner-sensitive. */
const SITE_VARIANCE_RANGE = { shape: [0.01, 0.08], firstorder: [0.1, 0.4], texture: [0.2, 0.7] } as const;

const r8 = (x: number) => signif(x, 8);

/**
 * Simulates the multi-site radiomics table: 12 sites of very unequal size (3 to 112 patients), one scanner
 * vendor per site, 470 patients with 1–5 scans each (time 0, 1, …), tumour grade G1–G3 with site-specific
 * frequencies, and features with patient, vendor and site effects on location and site effects on scale.
 *
 * @example
 * ```ts
 * const { table, truth } = simulateRadiomics({ seed: 1, nFeatures: 5 });
 * table.nRows; truth.features[0].patientVariance;
 * ```
 */
export function simulateRadiomics(options: RadiomicsOptions = {}): Simulated<RadiomicsTruth> {
  const seed = options.seed ?? 20240611;
  const nFeatures = options.nFeatures ?? FEATURES.length;
  const rng = new Rng(seed);
  const nSites = SITE_SIZES.length;
  const sites = SITE_SIZES.map((_, s) => label("S", s + 1, 2));

  // Design: per site grade frequencies (Dirichlet(2,2,2)), patients, scans.
  const siteInfo = SITE_SIZES.map((nPatients, s) => {
    const w = [gamma(rng, 2), gamma(rng, 2), gamma(rng, 2)];
    const total = w[0] + w[1] + w[2];
    return { site: sites[s], vendor: VENDORS[SITE_VENDOR[s]], nPatients, scaleMean: r8(Math.exp(normal(rng, 0, 0.35))), gradeProbabilities: w.map((x) => r8(x / total)) };
  });
  const patientSite: number[] = [];
  const patientGrade: number[] = [];
  const patientScans: number[] = [];
  siteInfo.forEach((info, s) => {
    for (let p = 0; p < info.nPatients; p++) {
      patientSite.push(s);
      patientGrade.push(categorical(rng, info.gradeProbabilities));
      patientScans.push(1 + categorical(rng, SCANS_PROBABILITIES));
    }
  });
  const nPatients = patientSite.length;
  const patients = patientSite.map((_, p) => label("P", p + 1, 3));
  const nRows = patientScans.reduce((a, b) => a + b, 0);

  // Feature parameters (standardised units, converted to raw units for the truth).
  const features: RadiomicsFeatureTruth[] = [];
  const std = { patient: [] as number[], site: [] as number[], vendor: [] as number[], g2: [] as number[], g3: [] as number[], slope: [] as number[] };
  for (let f = 0; f < nFeatures; f++) {
    const [name, family] = f < FEATURES.length ? FEATURES[f] : [label("texture_", f + 1, 4), "texture" as const];
    const alpha = Math.pow(10, uniform(rng, -1, 3));
    const sigma = alpha * uniform(rng, 0.1, 0.3);
    const [lo, hi] = SITE_VARIANCE_RANGE[family];
    const site = uniform(rng, lo, hi);
    const vendor = 0.5 * site;
    const patient = uniform(rng, 0.5, 3);
    const biological = f % 2 === 0;
    const g2 = biological ? sign(rng) * uniform(rng, 0.3, 0.9) : 0;
    const g3 = g2 * uniform(rng, 1.6, 2.4);
    const slope = f % 3 === 0 ? sign(rng) * uniform(rng, 0.05, 0.2) : 0;
    std.patient.push(patient); std.site.push(site); std.vendor.push(vendor);
    std.g2.push(g2); std.g3.push(g3); std.slope.push(slope);
    const s2 = sigma * sigma;
    features.push({
      feature: "f_" + name, family, alpha: r8(alpha), sigma: r8(sigma),
      patientVariance: r8(s2 * patient), siteVariance: r8(s2 * site), vendorVariance: r8(s2 * vendor), residualVariance: r8(s2),
      gradeG2: r8(sigma * g2), gradeG3: r8(sigma * g3), timeSlope: r8(sigma * slope), biological,
    });
  }

  // Realised effects (standardised units).
  const vendorShift = VENDORS.map(() => Float64Array.from(std.vendor, (v) => normal(rng, 0, Math.sqrt(v))));
  const location = sites.map((_, s) => Float64Array.from(std.site, (v, f) => vendorShift[SITE_VENDOR[s]][f] + normal(rng, 0, Math.sqrt(v))));
  const scale = siteInfo.map((info) => Float64Array.from({ length: nFeatures }, () => inverseGamma(rng, info.scaleMean, 0.05 * info.scaleMean * info.scaleMean)));
  const patientLoadings = factorLoadings(rng, 3, nFeatures, 0.45);
  const patientEffect = patients.map(() => correlatedUnitNormals(rng, patientLoadings, nFeatures).map((z, f) => z * Math.sqrt(std.patient[f])));
  const residualLoadings = factorLoadings(rng, 3, nFeatures, 0.4);

  // Rows: one per scan.
  const rowPatient = new Int32Array(nRows), rowTime = new Float64Array(nRows);
  const values = Array.from({ length: nFeatures }, () => new Float64Array(nRows));
  let row = 0;
  for (let p = 0; p < nPatients; p++) {
    const s = patientSite[p], g = patientGrade[p];
    for (let t = 0; t < patientScans[p]; t++, row++) {
      rowPatient[row] = p;
      rowTime[row] = t;
      const eps = correlatedUnitNormals(rng, residualLoadings, nFeatures);
      for (let f = 0; f < nFeatures; f++) {
        const grade = g === 1 ? std.g2[f] : g === 2 ? std.g3[f] : 0;
        const z = grade + std.slope[f] * t + patientEffect[p][f] + location[s][f] + Math.sqrt(scale[s][f]) * eps[f];
        values[f][row] = features[f].alpha + features[f].sigma * z;
      }
    }
  }

  const builder = new TableBuilder("radiomics", nRows)
    .factor("patient", patients, rowPatient)
    .factor("site", sites, Array.from(rowPatient, (p) => patientSite[p]))
    .factor("vendor", VENDORS, Array.from(rowPatient, (p) => SITE_VENDOR[patientSite[p]]))
    .factor("grade", ["G1", "G2", "G3"], Array.from(rowPatient, (p) => patientGrade[p]))
    .numeric("time", rowTime);
  features.forEach((ft, f) => builder.numeric(ft.feature, values[f]));

  const raw = (m: Float64Array[]) => m.map((v) => Array.from(v, (x, f) => r8(features[f].sigma * x)));
  return {
    table: builder.build(),
    truth: {
      seed,
      model:
        "x = alpha + sigma * z with z = beta_grade + slope * time + u_patient + v_vendor + xi_site + sqrt(delta2_site) * eps; " +
        "in raw units u ~ N(0, patientVariance), v ~ N(0, vendorVariance), xi ~ N(0, siteVariance), sigma * eps ~ N(0, residualVariance); " +
        "delta2_site,f ~ InvGamma(mean scaleMean_site, variance 0.05 * scaleMean_site^2); u and eps correlated across features through 3 latent factors",
      sites: siteInfo,
      features,
      siteEffects: { sites, location: raw(location), scale: scale.map((v) => Array.from(v, r8)) },
      vendorEffects: { vendors: VENDORS.slice(), values: raw(vendorShift) },
      patientEffects: { patients, values: raw(patientEffect) },
    },
  };
}
