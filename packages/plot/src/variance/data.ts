import { InvalidArgumentError } from "@lmm/core";
import type { FeatureVarianceLike } from "@lmm/diagnostics";

/**
 * Variance partition of many features, columnar: the fraction (and variance) of each component per
 * feature, `fractions[f * components.length + c]`. Components in stacking order, residual last.
 */
export interface VariancePartitionInput {
  features: string[];
  components: string[];
  fractions: ArrayLike<number>;
  variances?: ArrayLike<number>;
  /** Batch-to-signal ratio ρ per feature (NaN where unknown). */
  rho?: ArrayLike<number>;
}

/** One feature as the `lmm varpart --json` CLI prints it. */
export interface FeatureComponentsLike {
  feature: string;
  components: Readonly<Record<string, { variance: number; fraction: number }>>;
  rho?: number;
}

/** Anything the variance views take. */
export type VarianceInput = VariancePartitionInput | { features: readonly (FeatureVarianceLike | FeatureComponentsLike)[] } | readonly (FeatureVarianceLike | FeatureComponentsLike)[];

/**
 * The columnar partition from any accepted shape: diagnostics' `varpart` result (or its `features`), the
 * CLI's JSON, or the columnar form itself. Features that failed to fit are left out; components are ordered
 * by their mean fraction (largest first), the residual last.
 *
 * @example
 * ```ts
 * toVariancePartition(await varpart(tma, "{feature} ~ (1|patient) + (1|batch)", "feature_*")).components;
 * ```
 */
export function toVariancePartition(input: VarianceInput): VariancePartitionInput {
  if (!Array.isArray(input) && "fractions" in input) return input as VariancePartitionInput;
  const list = (Array.isArray(input) ? input : (input as { features: readonly (FeatureVarianceLike | FeatureComponentsLike)[] }).features) as readonly (FeatureVarianceLike | FeatureComponentsLike)[];
  const parsed = list.flatMap((f) => {
    const entries = featureComponents(f);
    return entries ? [{ feature: f.feature, ...entries }] : [];
  });
  if (parsed.length === 0) throw new InvalidArgumentError("variance partition", "no fitted features", "at least one feature with a decomposition");
  const components = componentOrder(parsed.map((p) => p.components));
  const C = components.length;
  const fractions = new Float64Array(parsed.length * C);
  const variances = new Float64Array(parsed.length * C);
  parsed.forEach((p, f) => {
    components.forEach((name, c) => {
      const hit = p.components.get(name);
      fractions[f * C + c] = hit ? hit.fraction : 0;
      variances[f * C + c] = hit ? hit.variance : 0;
    });
  });
  return { features: parsed.map((p) => p.feature), components, fractions, variances, rho: Float64Array.from(parsed, (p) => p.rho) };
}

function featureComponents(f: FeatureVarianceLike | FeatureComponentsLike): { components: Map<string, { variance: number; fraction: number }>; rho: number } | null {
  if ("decomposition" in f) {
    if (!f.decomposition) return null;
    return { components: new Map(f.decomposition.components.map((c) => [c.name, c])), rho: f.decomposition.ratio?.value ?? NaN };
  }
  return { components: new Map(Object.entries(f.components)), rho: f.rho ?? NaN };
}

function componentOrder(maps: Map<string, { fraction: number }>[]): string[] {
  const totals = new Map<string, number>();
  for (const m of maps) for (const [name, c] of m) totals.set(name, (totals.get(name) ?? 0) + c.fraction);
  const names = [...totals.keys()].filter((n) => n !== "Residual").sort((a, b) => totals.get(b)! - totals.get(a)! || (a < b ? -1 : 1));
  return totals.has("Residual") ? [...names, "Residual"] : names;
}

/** One feature's share of one component. */
export interface FractionRow {
  feature: string;
  component: string;
  fraction: number;
  variance: number;
}

/**
 * Long rows (feature × component) of a partition.
 *
 * @example
 * ```ts
 * fractionRows(partition).filter((r) => r.component === "batch");
 * ```
 */
export function fractionRows(p: VariancePartitionInput): FractionRow[] {
  const C = p.components.length;
  return p.features.flatMap((feature, f) =>
    p.components.map((component, c) => ({ feature, component, fraction: p.fractions[f * C + c], variance: p.variances ? p.variances[f * C + c] : NaN })),
  );
}

/**
 * Features ordered by one component's fraction, largest first.
 *
 * @example
 * ```ts
 * featureOrder(partition, "batch")[0]; // the most batch-dominated feature
 * ```
 */
export function featureOrder(p: VariancePartitionInput, component: string): string[] {
  const c = p.components.indexOf(component);
  if (c < 0) throw new InvalidArgumentError("sort", component, `a component (${p.components.join(", ")})`);
  const C = p.components.length;
  return p.features.map((f, i) => ({ f, v: p.fractions[i * C + c] })).sort((a, b) => b.v - a.v || (a.f < b.f ? -1 : 1)).map((d) => d.f);
}

/**
 * ρ = Σ batch variances / Σ signal variances per feature, from the partition's variances (or its `rho`
 * when no components are named).
 *
 * @example
 * ```ts
 * batchSignalRatios(partition, { batch: ["batch", "reader"], signal: ["patient"] });
 * ```
 */
export function batchSignalRatios(p: VariancePartitionInput, names?: { batch: readonly string[]; signal: readonly string[] }): Float64Array {
  if (!names) {
    if (!p.rho) throw new InvalidArgumentError("ratio", undefined, "batch and signal component names, or a partition that carries ρ");
    return Float64Array.from(p.rho);
  }
  const variances = p.variances ?? p.fractions; // fractions share one denominator per feature
  const C = p.components.length;
  const index = (name: string) => {
    const c = p.components.indexOf(name);
    if (c < 0) throw new InvalidArgumentError("ratio component", name, `a component (${p.components.join(", ")})`);
    return c;
  };
  const batch = names.batch.map(index), signal = names.signal.map(index);
  return Float64Array.from(p.features, (_, f) => {
    const b = batch.reduce((s, c) => s + variances[f * C + c], 0);
    const s = signal.reduce((t, c) => t + variances[f * C + c], 0);
    return b / s;
  });
}
