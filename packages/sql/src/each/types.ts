import type { AggregatedFit, AggregationPlan } from "@lmm/core/aggregate";

/** What every feature's fit of a run shares: sent once to each worker (plain, cloneable data). */
export interface CellsShared {
  /** The run's plan (the same for every feature: columns, levels and coding from the whole table). */
  plan: AggregationPlan;
  /** Each grouping column's distinct values over the run's cells; a feature's cells refer to them by code. */
  dictionaries: unknown[][];
  /** The fit options that travel (no callbacks, no signal). */
  options: CellsFitOptions;
}

/** The options of an aggregated fit that can be sent to a worker. */
export interface CellsFitOptions {
  reml?: boolean;
  maxEval?: number;
  start?: number[];
  theta?: number[];
  checkConvergence?: boolean | "auto";
  polish?: boolean;
  keepLog?: boolean;
  dispersion?: string;
  delta?: number[];
}

/** One feature's cells: codes into the shared dictionaries, rows and sums per cell (transferable). */
export interface CellsPayload {
  feature: string;
  /** Per grouping column (the plan's `variables.groups` order), each cell's code. */
  codes: Int32Array[];
  counts: Float64Array;
  /** One array per product pair (`productPairs` order). */
  sums: Float64Array[];
  /** With a dispersion formula: the feature's rows per value of its column before dropping (names a level whose rows were all dropped). */
  dispersionRows: { values: unknown[]; counts: number[] } | null;
  /** Σ log w over the feature's rows used, and its rows of prior weight 0 (0 without weights). */
  logWeights: number;
  zeroWeights: number;
}

/** A feature's fit as a worker returns it: plain data, the error as name, code and message. */
export interface CellsResult {
  feature: string;
  fit: AggregatedFit | null;
  error: { name: string; code: string; message: string } | null;
}
