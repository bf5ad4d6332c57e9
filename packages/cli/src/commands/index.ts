import type { Command } from "../command.js";

/** A sub-command as `lmm --help` lists it; its module (and the libraries it needs) load only when it runs. */
export interface CommandEntry {
  name: string;
  /** One line for the command list. */
  summary: string;
  load(): Promise<Command>;
}

/**
 * Every sub-command, in the order `lmm` lists them. Each lives in its own file in this folder; loading them
 * lazily keeps `lmm --help` from loading the statistics libraries.
 */
export const commands: readonly CommandEntry[] = [
  { name: "fit", summary: "fit a linear mixed model to a CSV, Parquet or DuckDB table", load: async () => (await import("./fit.js")).fitCommand },
  { name: "influence", summary: "influence of each cluster by exact deletion: Cook's distance, DFBETAS, variance components", load: async () => (await import("./influence.js")).influenceCommand },
  { name: "loso", summary: "leave-one-site-out cross-validation: RMSE, MAE, R² of the mixed and the fixed-effects-only model", load: async () => (await import("./loso.js")).losoCommand },
  { name: "varpart", summary: "variance decomposition of many features (variancePartition)", load: async () => (await import("./varpart.js")).varpartCommand },
  { name: "combat", summary: "harmonise features across batches (ComBat, parametric or non-parametric)", load: async () => (await import("./combat.js")).combatCommand },
  { name: "grm", summary: "genetic relationship matrix of a PLINK fileset (GEMMA -gk 1)", load: async () => (await import("./grm.js")).grmCommand },
  { name: "gwas", summary: "LMM association scan with Wald, LRT and score tests (GEMMA -lmm 4)", load: async () => (await import("./gwas.js")).gwasCommand },
];
