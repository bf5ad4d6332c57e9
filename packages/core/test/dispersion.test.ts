// The engine of the dispersion formula (issue 20): per-level cross-products recombined in place equal
// the cross-products of the weighted model summed from rows (the seam another producer of A, sums
// in SQL, hands over); the joint fitter's criterion equals a weighted fit's at the same δ; and the
// criterion is invariant under (θ, δ) → (θc, δc), which the optimiser's pivot relies on.
import { describe, expect, it } from "vitest";
import { buildLmmDesign } from "../src/engine/design.js";
import { designAtDispersion } from "../src/engine/dispersion.js";
import { Fitter } from "../src/engine/Fitter.js";
import { RowCrossProducts } from "../src/engine/crossProducts.js";
import { BlockSparse, Dense, UniformBlockDiagonal } from "../src/engine/linalg/Dense.js";
import type { Block } from "../src/engine/linalg/products.js";
import { Rng } from "../src/numerics/Rng.js";

const values = (b: Block) => (b instanceof BlockSparse ? b.values : (b as Dense | UniformBlockDiagonal).data);

function data(n = 240) {
  const rng = new Rng(7);
  const g = Array.from({ length: n }, (_, i) => `g${i % 12}`), h = Array.from({ length: n }, (_, i) => `h${(i * 7) % 5}`);
  const v = Array.from({ length: n }, (_, i) => ["a", "b", "c"][(i * 5) % 3]);
  const x = Float64Array.from({ length: n }, () => rng.normal());
  const sd = { a: 1, b: 2.5, c: 0.6 } as Record<string, number>;
  const y = Float64Array.from(x, (xi, i) => 1 + 0.5 * xi + 0.3 * (i % 12) + sd[v[i]] * rng.normal());
  return { y, x, g, h, v };
}

describe("dispersion engine", () => {
  const design = buildLmmDesign("y ~ x + (1 | g) + (1 | h)", data(), { dispersion: "~ v" });
  const y = design.frame.y!;
  const delta = Float64Array.of(1, 2.1, 0.55);

  it("A(δ) recombined from per-level blocks equals A summed from rows with weights 1/δ²", () => {
    const joint = new Fitter(design, y, true, true);
    joint.setDelta(delta);
    const rows = new RowCrossProducts(designAtDispersion(design, delta), y);
    joint.sums.A.forEach((row, i) => row.forEach((b, j) => {
      const a = values(b), r = values(rows.A[i][j]);
      expect(a.length).toBe(r.length);
      for (let x = 0; x < a.length; x++) expect(Math.abs(a[x] - r[x])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(r[x])));
    }));
    expect(joint.sums.logWeights).toBeCloseTo(rows.logWeights, 10);
  });

  it("the joint fitter's criterion is the weighted fit's at the same δ, and invariant under (θ, δ) → (θc, δc)", () => {
    const theta = Float64Array.of(0.8, 0.4);
    const joint = new Fitter(design, y, true, true);
    joint.setDelta(delta);
    const weighted = new Fitter(designAtDispersion(design, delta), y, true);
    const f = joint.evaluate(theta);
    expect(Math.abs(f - weighted.evaluate(theta))).toBeLessThanOrEqual(1e-9 * Math.abs(f));
    const c = 1.7;
    joint.setDelta(delta.map((d) => d * c));
    expect(Math.abs(joint.evaluate(theta.map((t) => t * c)) - f)).toBeLessThanOrEqual(1e-9 * Math.abs(f));
  });
});
