/** Units of the model's variables, by column name: `{ Reaction: "ms", Days: "day" }` (singular symbols). */
export type Units = Readonly<Record<string, string>>;

/**
 * The unit of a coefficient on `term` for a response in `responseUnit`: the response's unit for the
 * intercept and factor contrasts, response unit per covariate unit for a numeric covariate (`ms/day`).
 *
 * @example
 * ```ts
 * termUnit("Days", { Reaction: "ms", Days: "day" }, "Reaction"); // "ms/day"
 * ```
 */
export function termUnit(term: string, units: Units | undefined, response: string): string | undefined {
  if (!units) return undefined;
  const y = unitOf(units, response);
  if (term === "(Intercept)") return y;
  const x = unitOf(units, term);
  if (x === undefined) return y;
  return y === undefined ? `1/${x}` : `${y}/${x}`;
}

/**
 * The unit of a variable, read without touching the prototype chain (a column named `__proto__` is ordinary).
 *
 * @example
 * ```ts
 * unitOf({ Days: "day" }, "Days"); // "day"
 * ```
 */
export function unitOf(units: Units | undefined, name: string): string | undefined {
  return units && Object.prototype.hasOwnProperty.call(units, name) ? units[name] : undefined;
}
