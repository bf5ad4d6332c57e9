// Parametric bootstrap of a fitted model (lme4's `bootMer` with the parameters of `confint`):
// n responses simulated from the fit, each refitted from θ̂. Refit k draws from Rng.stream(seed, k)
// whatever thread runs it, so a seed gives the same table with any number of workers.
import { designOf } from "../model/state.js";
import { InvalidArgumentError } from "../errors/LmmError.js";
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import { createPool } from "../parallel/createPool.js";
import type { WorkerPool } from "../parallel/WorkerPool.js";
import { bootstrapRefit, type BootstrapOutcome, type BootstrapShared } from "./bootstrapTask.js";
import type bootstrapTasks from "./bootstrapWorker.js";
import { percentileInterval, shortestInterval } from "./intervals.js";
import { thetaToSdcor, varianceParameterNames } from "./profileParameters.js";

/**
 * Options of {@link bootstrap}.
 *
 * @example
 * ```ts
 * await bootstrap(model, 500, { seed: 3, workers: 2, signal: controller.signal } satisfies BootstrapOptions);
 * ```
 */
export interface BootstrapOptions {
  /** Seed of the run (default 1): refit k draws from `Rng.stream(seed, k)`. */
  seed?: number;
  /** Worker threads; 0 runs the refits in this thread (same results). Default: the platform's core count. */
  workers?: number;
  /** A pool from {@link createBootstrapPool} to reuse instead of starting workers for this call. */
  pool?: BootstrapPool;
  /** Called as refits finish. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting stops the run (`RunAbortedError`). */
  signal?: AbortSignal;
}

/**
 * One parameter's bootstrap intervals.
 *
 * @example
 * ```ts
 * const [{ percentile, shortest }]: BootstrapInterval[] = boot.intervals(0.95);
 * ```
 */
export interface BootstrapInterval {
  parameter: string;
  /** Percentile interval (boot's `perc`, as lme4's `confint(method = "boot")`). */
  percentile: [number, number];
  /** Shortest interval holding the same share of the replicates. */
  shortest: [number, number];
}

/**
 * The refits of a parametric bootstrap, as a table (one column per parameter, one row per refit).
 *
 * @example
 * ```ts
 * const boot: BootstrapResult = await bootstrap(model, 1000, { seed: 1 }); boot.table.sigma;
 * ```
 */
export interface BootstrapResult {
  /** Parameter names as lme4's confint rows: sds, correlations, sigma, fixed effects. */
  parameters: string[];
  /** The parameters of the fitted model itself (boot's t0). */
  estimates: Float64Array;
  /** Column per parameter, one value per refit (NaN where a refit failed). */
  table: Record<string, Float64Array>;
  /** Whether each refit's optimiser reported convergence. */
  converged: Uint8Array;
  n: number;
  seed: number;
  /** Number of refits that failed. */
  failures: number;
  /** Percentile and shortest intervals at `level` (default 0.95). */
  intervals(level?: number): BootstrapInterval[];
}

/**
 * A worker pool that runs bootstrap refits.
 *
 * @example
 * ```ts
 * const pool: BootstrapPool = createBootstrapPool({ size: 2 });
 * ```
 */
export type BootstrapPool = WorkerPool<typeof bootstrapTasks>;

/**
 * Creates a pool for {@link bootstrap} (Node worker threads or module Web Workers; `size: 0` runs
 * in this thread). Reuse it across calls and close it.
 *
 * @example
 * ```ts
 * const pool = createBootstrapPool({ size: 2 });
 * try { await bootstrap(model, 1000, { pool }); } finally { await pool.close(); }
 * ```
 */
export function createBootstrapPool(options: { size?: number } = {}): BootstrapPool {
  return createPool<typeof bootstrapTasks>({
    workerUrl: new URL("./bootstrapWorker.js", import.meta.url),
    browserWorker: () => new Worker(new URL("./bootstrapWorker.js", import.meta.url), { type: "module" }),
    load: () => import("./bootstrapWorker.js"),
    size: options.size,
  });
}

/**
 * Parametric bootstrap: `n` refits of responses simulated from the model, in workers, with
 * progress and abort. The table is identical for a given seed whatever the number of workers
 * (and identical to {@link bootstrapSync}).
 *
 * @example
 * ```ts
 * const boot = await bootstrap(model, 1000, { seed: 42, workers: 2, onProgress: (done, total) => console.log(done / total) });
 * boot.intervals(0.95); // [{ parameter: "sd_(Intercept)|Subject", percentile: [..], shortest: [..] }, …]
 * ```
 */
export async function bootstrap(model: LinearMixedModel, n: number, options: BootstrapOptions = {}): Promise<BootstrapResult> {
  const shared = sharedOf(model, n, options.seed);
  const pool = options.pool ?? createBootstrapPool({ size: options.workers });
  try {
    const indices = Array.from({ length: n }, (_, k) => k);
    const outcomes = await pool.run("refit", indices, {
      shared,
      label: (k) => `refit ${k + 1}`,
      onProgress: options.onProgress ? (done, total) => options.onProgress!(done, total) : undefined,
      signal: options.signal,
    });
    return collect(model, shared, outcomes);
  } finally {
    if (!options.pool) await pool.close();
  }
}

/**
 * The same bootstrap run in this thread, synchronously (what `confint(model, { method: "boot" })` uses).
 *
 * @example
 * ```ts
 * bootstrapSync(model, 200, { seed: 1 }).intervals();
 * ```
 */
export function bootstrapSync(model: LinearMixedModel, n: number, options: Pick<BootstrapOptions, "seed" | "onProgress"> = {}): BootstrapResult {
  const shared = sharedOf(model, n, options.seed);
  const outcomes: BootstrapOutcome[] = [];
  for (let k = 0; k < n; k++) {
    outcomes.push(bootstrapRefit(shared, k));
    options.onProgress?.(k + 1, n);
  }
  return collect(model, shared, outcomes);
}

function sharedOf(model: LinearMixedModel, n: number, seed = 1): BootstrapShared {
  if (!(Number.isInteger(n) && n >= 1)) throw new InvalidArgumentError("n", n, "a positive whole number of refits");
  if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw new InvalidArgumentError("seed", seed, "a whole number in [0, 2³²)");
  return { design: designOf(model), reml: model.reml, theta: Float64Array.from(model.theta), beta: Float64Array.from(model.beta), sigma: model.sigma, seed };
}

function collect(model: LinearMixedModel, shared: BootstrapShared, outcomes: BootstrapOutcome[]): BootstrapResult {
  const parameters = [...varianceParameterNames(designOf(model).theta), ...model.fixefNames];
  const estimates = Float64Array.from([...thetaToSdcor(designOf(model).theta, model.theta, model.sigma), ...model.beta]);
  return bootstrapResultOf(parameters, estimates, outcomes, shared.seed);
}

/**
 * The {@link BootstrapResult} of refits' outcomes (values in the order of `parameters`), for any
 * producer of refits (an in-memory model's, or a fit from sums').
 *
 * @example
 * ```ts
 * bootstrapResultOf(["sigma"], Float64Array.of(1), [{ values: Float64Array.of(1.1), converged: true, evaluations: 9 }], 1).table.sigma;
 * ```
 */
export function bootstrapResultOf(parameters: string[], estimates: Float64Array, outcomes: BootstrapOutcome[], seed: number): BootstrapResult {
  const n = outcomes.length;
  const table: Record<string, Float64Array> = Object.create(null);
  parameters.forEach((name, j) => (table[name] = Float64Array.from(outcomes, (o) => o.values[j])));
  const converged = Uint8Array.from(outcomes, (o) => (o.converged ? 1 : 0));
  const failures = outcomes.filter((o) => o.values.some(Number.isNaN)).length;
  return {
    parameters,
    estimates,
    table,
    converged,
    n,
    seed,
    failures,
    intervals: (level = 0.95) => {
      if (!(level > 0 && level < 1)) throw new InvalidArgumentError("level", level, "a number strictly between 0 and 1");
      return parameters.map((parameter) => ({ parameter, percentile: percentileInterval(table[parameter], level), shortest: shortestInterval(table[parameter], level) }));
    },
  };
}
