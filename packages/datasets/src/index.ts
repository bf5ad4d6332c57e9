export { radiomics } from "./radiomics.js";
export { tma } from "./tma.js";
export { clinics } from "./clinics.js";
export { decodeTable, type Dataset, type EncodedTable, type EncodedColumn } from "./table.js";
export { simulateRadiomics, type RadiomicsOptions, type RadiomicsTruth, type RadiomicsFeatureTruth } from "./simulate/radiomics.js";
export { simulateTma, type TmaOptions, type TmaTruth, type TmaFeatureTruth, type TmaProfile } from "./simulate/tma.js";
export { simulateClinics, type ClinicsOptions, type ClinicsTruth, type PlantedOutlier } from "./simulate/clinics.js";
export type { Simulated } from "./simulate/tableBuilder.js";
