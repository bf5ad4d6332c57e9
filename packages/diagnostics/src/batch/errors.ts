import { LmmError } from "@lmm/core";

/**
 * A batch with a single sample, whose scale ComBat cannot estimate (sva silently switches to mean-only; we ask).
 *
 * @example
 * ```ts
 * try { combatFit(data); } catch (e) { if (e instanceof SingletonBatchError) console.log(e.batch); }
 * ```
 */
export class SingletonBatchError extends LmmError {
  readonly batch: string;
  constructor(batch: string) {
    super("SINGLETON_BATCH", `batch ${JSON.stringify(batch)} has a single sample: its scale cannot be estimated (pass meanOnly: true to adjust locations only, or merge the batch)`);
    this.batch = batch;
  }
}

/**
 * A biological covariate that batch (or the other covariates) determines, so its effect cannot be protected.
 *
 * @example
 * ```ts
 * try { combatFit({ features, batch: site, covariates: { scanner } }); } catch (e) { if (e instanceof ConfoundedCovariateError) console.log(e.covariate); }
 * ```
 */
export class ConfoundedCovariateError extends LmmError {
  readonly covariate: string;
  readonly designColumn: string;
  constructor(covariate: string, designColumn: string, withWhat: "batch" | "the other covariates") {
    super("CONFOUNDED_COVARIATE", `covariate ${JSON.stringify(covariate)} (design column ${JSON.stringify(designColumn)}) is confounded with ${withWhat}: remove it or the batch variable`);
    this.covariate = covariate;
    this.designColumn = designColumn;
  }
}

/**
 * A feature with no (or a single) observed value in some batch, so that batch's location or scale cannot be estimated.
 *
 * @example
 * ```ts
 * try { combatFit(data); } catch (e) { if (e instanceof UnobservedBatchError) console.log(e.feature, e.batch); }
 * ```
 */
export class UnobservedBatchError extends LmmError {
  readonly feature: string;
  readonly batch: string;
  constructor(feature: string, batch: string, what = "no observed value") {
    super("UNOBSERVED_BATCH", `feature ${JSON.stringify(feature)} has ${what} in batch ${JSON.stringify(batch)}`);
    this.feature = feature;
    this.batch = batch;
  }
}
