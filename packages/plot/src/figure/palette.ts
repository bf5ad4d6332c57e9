// Categorical colours with one distinct colour per level. Plot's default categorical scheme has ten
// colours and repeats them, so the 11th level looks like the 1st (S01/S11 in a 12-site study).

/** Tableau 10, Plot's default look for up to ten levels. */
const TABLEAU10 = ["#4e79a7", "#f28e2c", "#e15759", "#76b7b2", "#59a14f", "#edc949", "#af7aa1", "#ff9da7", "#9c755f", "#bab0ab"];

/** Kelly's colours of maximum contrast (without white and black), for 11 to 20 levels. */
const KELLY20 = [
  "#0067a5", "#f38400", "#be0032", "#008856", "#875692", "#f3c300", "#a1caf1", "#882d17", "#8db600", "#e68fac",
  "#604e97", "#c2b280", "#f99379", "#2b3d26", "#b3446c", "#dcd300", "#654522", "#e25822", "#848482", "#f6a600",
];

/** A colour scale's domain and range: as many distinct colours as levels. */
export interface CategoricalColors {
  type: "ordinal";
  domain: string[];
  range: string[];
}

/**
 * Colour scale options giving each level its own colour: Tableau 10 for up to ten levels, Kelly's 20
 * colours of maximum contrast for up to twenty, and evenly spaced hues (alternating in lightness, so
 * neighbours differ) beyond that. Pass it as a view's `color` option or in `Plot.plot({ color })`.
 *
 * @example
 * ```ts
 * const sites = ["S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09", "S10", "S11", "S12"];
 * batchPcaScores(input, { color: categoricalColors(sites) }); // 12 distinct colours
 * ```
 */
export function categoricalColors(levels: Iterable<string>): CategoricalColors {
  const domain = [...new Set(levels)];
  const n = domain.length;
  const range = n <= TABLEAU10.length ? TABLEAU10.slice(0, n) : n <= KELLY20.length ? KELLY20.slice(0, n) : spacedHues(n);
  return { type: "ordinal", domain, range };
}

/** n hues around the colour wheel, every other one darker: distinct colours for any n. */
function spacedHues(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `hsl(${((i * 360) / n).toFixed(1)}, 65%, ${i % 2 === 0 ? 42 : 62}%)`);
}
