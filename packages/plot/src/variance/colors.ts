/**
 * Colours of variance components: the residual always grey, the others from Tableau 10 in order.
 *
 * @example
 * ```ts
 * componentColors(["patient", "batch", "Residual"]); // ["#4e79a7", "#f28e2c", "#bab0ab"]
 * ```
 */
export function componentColors(components: readonly string[]): string[] {
  const palette = ["#4e79a7", "#f28e2c", "#e15759", "#76b7b2", "#59a14f", "#edc949", "#af7aa1", "#ff9da7", "#9c755f"];
  let k = 0;
  return components.map((c) => (c === "Residual" ? "#bab0ab" : palette[k++ % palette.length]));
}
