// Every view on example data: written to PNG by `pnpm plots` (scripts/render-all.ts). Examples use the
// diagnostics of @lmm/diagnostics and @lmm/core on the shipped and reference data sets.
import { lmm, profile, profileConfint } from "@lmm/core";
import { batchClassifier, batchPca, clusterInfluence, combat, leaveOneLevelOut, qq, shrinkage as shrinkageData, varianceDecomposition } from "@lmm/diagnostics";
import { clinics, radiomics, tma } from "../../../datasets/src/index.ts";
import * as views from "../../src/index.ts";
import type { Figure } from "../../src/index.ts";
import { causalSnps, gemmaScan, plinkScan } from "./gwas.ts";
import { clinicsModel, radiomicsModel, sleepstudyModel } from "./models.ts";

/** One figure of the gallery: a file name and how to draw it. */
export interface GalleryEntry {
  name: string;
  draw: (document: Document) => Figure | Promise<Figure>;
}

const sleepUnits = { Reaction: "ms", Days: "day" };

/** The TMA features and their variance decompositions, one model per feature. */
export function tmaVariance() {
  const d = tma();
  const features = d.names.filter((n) => n.startsWith("feature_"));
  return features.map((feature) => {
    const m = lmm(`${feature} ~ grade + (1|patient) + (1|batch) + (1|reader)`, d.columns, { levels: d.levels });
    return { feature, decomposition: varianceDecomposition(m, { ratio: { batch: ["batch", "reader"], signal: ["patient"] } }) };
  });
}

/** TMA features before and after ComBat (batch = staining batch, grade protected). */
export function tmaHarmonised() {
  const d = tma();
  const names = d.names.filter((n) => n.startsWith("feature_"));
  const features = Object.fromEntries(names.map((n) => [n, d.columns[n] as Float64Array]));
  const batch = d.columns.batch as string[];
  const after = combat({ features, batch, covariates: { grade: d.columns.grade as string[] } }).harmonised;
  return { features, after, batch };
}

/** The gallery, in reading order. */
export function gallery(): GalleryEntry[] {
  return [
    { name: "caterpillar-sleepstudy", draw: (document) => views.caterpillar(sleepstudyModel(), { document, units: sleepUnits, highlight: ["337", "309"] }) },
    { name: "caterpillar-clinics", draw: (document) => views.caterpillar(clinicsModel(), { document, group: "clinic", highlight: ["C07", "C16"] }) },
    { name: "qq-sleepstudy-envelope", draw: (document) => views.qqPlot(qq(sleepstudyModel(), { nsim: 99, seed: 1 }), { document }) },
    { name: "qq-clinics-residuals", draw: (document) => views.qqPlot(qq(clinicsModel(), { nsim: 39, seed: 1 }).residuals, { document }) },
    { name: "shrinkage-sleepstudy-days", draw: (document) => views.shrinkagePlot(shrinkageData(sleepstudyModel(), "Subject"), { document, term: "Days", units: sleepUnits, response: "Reaction" }) },
    { name: "shrinkage-radiomics-sites", draw: (document) => views.shrinkagePlot(shrinkageData(radiomicsModel(), "site"), { document }) },
    { name: "shrinkage2d-sleepstudy", draw: (document) => views.shrinkage2d(shrinkageData(sleepstudyModel(), "Subject"), { document, units: sleepUnits, response: "Reaction" }) },
    { name: "shrinkage2d-clinics-patients", draw: (document) => views.shrinkage2d(shrinkageData(clinicsModel(), "clinic:patient"), { document }) },
    { name: "residuals-vs-fitted-sleepstudy", draw: (document) => views.residualsVsFitted(sleepstudyModel(), { document, units: sleepUnits }) },
    { name: "scale-location-sleepstudy", draw: (document) => views.scaleLocation(sleepstudyModel(), { document, units: sleepUnits }) },
    { name: "residuals-vs-days-sleepstudy", draw: (document) => views.residualsVsCovariate(sleepstudyModel(), { document, covariate: "Days", units: sleepUnits }) },
    { name: "residuals-vs-program-clinics", draw: (document) => views.residualsVsCovariate(clinicsModel(), { document, covariate: "program", group: "clinic" }) },
    { name: "trajectories-sleepstudy", draw: (document) => views.trajectories(sleepstudyModel(), { document, time: "Days", units: sleepUnits }) },
    { name: "trajectories-clinics", draw: (document) => views.trajectories(clinicsModel(), { document, time: "time", group: "clinic:patient", facet: "clinic", colorBy: "program", width: 900 }) },
    { name: "cooks-distance-clinics", draw: async (document) => views.cooksDistance(await clusterInfluence(clinicsModel(), { data: clinics().columns, group: "clinic" }), { document }) },
    { name: "dfbetas-clinics", draw: async (document) => views.dfbetasPlot(await clusterInfluence(clinicsModel(), { data: clinics().columns, group: "clinic" }), { document }) },
    {
      name: "loso-radiomics",
      draw: async (document) => views.losoErrors(await leaveOneLevelOut(radiomicsModel(), { data: radiomics().columns, group: "site", partialPooling: { k: 2 } }), { document }),
    },
    { name: "variance-partition-tma", draw: (document) => views.variancePartition(tmaVariance(), { document, sort: "batch" }) },
    { name: "variance-fractions-tma", draw: (document) => views.varianceFractions(tmaVariance(), { document }) },
    { name: "batch-signal-ratio-tma", draw: (document) => views.batchSignalRatio(tmaVariance(), { document }) },
    {
      name: "batch-pca-tma",
      draw: (document) => {
        const { features, after, batch } = tmaHarmonised();
        return views.batchPcaScores({ before: batchPca(features, batch), after: batchPca(after, batch), batch }, { document });
      },
    },
    {
      name: "batch-accuracy-tma",
      draw: (document) => {
        const { features, after, batch } = tmaHarmonised();
        return views.batchAccuracy({ before: batchClassifier(features, batch), after: batchClassifier(after, batch) }, { document });
      },
    },
    {
      name: "profile-sleepstudy",
      draw: (document) => {
        const pr = profile(sleepstudyModel());
        return views.profilePlot(pr, { document, intervals: profileConfint(pr, 0.95) });
      },
    },
    { name: "manhattan-gemma", draw: (document) => views.manhattan(gemmaScan(), { document, highlight: causalSnps() }) },
    {
      name: "pvalue-qq-gwas",
      draw: (document) =>
        views.pvalueQq(
          [
            { name: "LMM (GEMMA Wald)", ...gemmaScan() },
            { name: "linear + 10 PCs", ...plinkScan("pc10") },
            { name: "linear (naive)", ...plinkScan("naive") },
          ],
          { document },
        ),
    },
  ];
}
