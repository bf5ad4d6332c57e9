import type { ParameterProfile } from "@lmm/core";

/** A parameter's profile as core's `ParameterProfile` has it, its arrays loosened to any array of numbers. */
type DrawnProfile = { [K in "parameter" | "values" | "zeta" | "estimate"]: ParameterProfile[K] extends Float64Array ? ArrayLike<number> : ParameterProfile[K] };

/**
 * Likelihood profiles: per parameter, ζ against its value. `profile(model)` of `@lmm/core` (a
 * `ModelProfile`) is one: the fields are read off core's `ParameterProfile`, so the two cannot drift apart.
 */
export interface ProfileInput {
  parameters: readonly DrawnProfile[];
}

/** A confidence interval as `confint` / `profileConfint` of `@lmm/core` give them. */
export interface IntervalLike {
  parameter: string;
  lower: number;
  upper: number;
}

/**
 * Where the profile crosses ζ = ±z, by linear interpolation between its points (NaN where it does not
 * reach that far: a bound, or a profile cut short).
 *
 * @example
 * ```ts
 * profileInterval(Float64Array.of(1, 2, 3), Float64Array.of(-2, 0, 2), 1.96); // [1.02, 2.98]
 * ```
 */
export function profileInterval(values: ArrayLike<number>, zeta: ArrayLike<number>, z: number): [number, number] {
  return [crossing(values, zeta, -z), crossing(values, zeta, z)];
}

function crossing(values: ArrayLike<number>, zeta: ArrayLike<number>, target: number): number {
  for (let i = 1; i < zeta.length; i++) {
    const a = zeta[i - 1], b = zeta[i];
    if ((a - target) * (b - target) <= 0 && a !== b) return values[i - 1] + ((target - a) / (b - a)) * (values[i] - values[i - 1]);
  }
  return NaN;
}
