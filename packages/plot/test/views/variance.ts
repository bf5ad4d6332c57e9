import { InvalidArgumentError } from "@lmm/core";
import { describe, expect, it } from "vitest";
import { batchSignalRatio, featureOrder, toVariancePartition, varianceFractions, variancePartition, type FeatureComponentsLike } from "../../src/index.ts";
import { described, document, HOSTILE, hover, marks, plotSvgs, showsAsText, tickLabels } from "../support/dom.ts";
import { tmaVariance } from "../support/gallery.ts";

describe("variance views", () => {
  const features = tmaVariance(); // 25 TMA features, (1|patient) + (1|batch) + (1|reader), with ρ
  const fraction = (f: (typeof features)[number], name: string) => f.decomposition.components.find((c) => c.name === name)!.fraction;

  it("stacks each feature's fractions, features sorted by the batch share", () => {
    const svg = plotSvgs(variancePartition(features, { document, sort: "batch" }))[0];
    const expected = features.slice().sort((a, b) => fraction(b, "batch") - fraction(a, "batch")).map((f) => f.feature);
    expect(tickLabels(svg, "y")).toEqual(expected);
    const rects = [...marks(svg, "bar")[0].querySelectorAll("rect")];
    expect(rects).toHaveLength(25 * 4);
    // Within a feature the bar widths are the fractions: they add up to the full axis.
    const p = toVariancePartition(features);
    const full = p.components.reduce((s, _, c) => s + +rects[c].getAttribute("width")!, 0);
    p.components.forEach((name, c) => expect(+rects[c].getAttribute("width")! / full).toBeCloseTo(fraction(features.find((f) => f.feature === p.features[0])!, name), 6));
  });

  it("reads the CLI's JSON and the columnar form the same way", () => {
    const cli: FeatureComponentsLike[] = features.map((f) => ({
      feature: f.feature,
      components: Object.fromEntries(f.decomposition.components.map((c) => [c.name, { variance: c.variance, fraction: c.fraction }])),
    }));
    const a = toVariancePartition(features), b = toVariancePartition({ features: cli });
    expect(b.components).toEqual(a.components);
    expect(Array.from(b.fractions)).toEqual(Array.from(a.fractions));
    expect(a.components.at(-1)).toBe("Residual");
    expect(featureOrder(a, "patient")[0]).toBe(features.slice().sort((x, y) => fraction(y, "patient") - fraction(x, "patient"))[0].feature);
  });

  it("shows each component's distribution across features", () => {
    const svg = plotSvgs(varianceFractions(features, { document }))[0];
    expect(tickLabels(svg, "y").slice().sort()).toEqual(["Residual", "batch", "patient", "reader"]);
    expect(marks(svg, "dot").at(-1)!.querySelectorAll("circle")).toHaveLength(100);
  });

  it("shows ρ per feature with the ρ = 1 rule, features at ρ ≥ 1 in red", async () => {
    const fig = batchSignalRatio(features, { document });
    const svg = plotSvgs(fig)[0];
    const rho = features.map((f) => f.decomposition.ratio!.value);
    expect(described(svg, "rho = 1")[0].querySelectorAll("line")).toHaveLength(1);
    expect(marks(svg, "dot")[0].querySelectorAll('circle[fill="#d62728"]')).toHaveLength(rho.filter((r) => r >= 1).length);
    const order = features.slice().sort((a, b) => b.decomposition.ratio!.value - a.decomposition.ratio!.value).map((f) => f.feature);
    expect(tickLabels(svg, "y")).toEqual(order);
    // ρ from the named components equals diagnostics' ρ.
    const named = plotSvgs(batchSignalRatio(features, { document, ratio: { batch: ["batch", "reader"], signal: ["patient"] } }))[0];
    expect(tickLabels(named, "y")).toEqual(order);
    const tip = await hover(svg, marks(svg, "dot")[0].querySelector("circle")!);
    expect(tip).toMatch(/^feature feature_\d\d\nρ \(log scale\) [\d.]+$/);
  });

  it("ρ with a limit: only the features with the largest ρ, and a figure sized for them", () => {
    const order = features.slice().sort((a, b) => b.decomposition.ratio!.value - a.decomposition.ratio!.value).map((f) => f.feature);
    const all = batchSignalRatio(features, { document });
    const fig = batchSignalRatio(features, { document, limit: 5 });
    const svg = plotSvgs(fig)[0];
    expect(tickLabels(svg, "y")).toEqual(order.slice(0, 5));
    expect(marks(svg, "dot")[0].querySelectorAll("circle")).toHaveLength(5);
    expect(+svg.getAttribute("height")!).toBeLessThan(+plotSvgs(all)[0].getAttribute("height")!);
    expect(fig.textContent).toContain(`of ${features.length} features`);
    expect(fig.textContent).toContain("the 5 largest shown");
  });

  it("refuses an unknown component and keeps feature names as text", () => {
    expect(() => variancePartition(features, { document, sort: "nope" })).toThrow(InvalidArgumentError);
    const hostile = features.map((f, i) => (i === 0 ? { ...f, feature: HOSTILE } : f));
    for (const view of [variancePartition, varianceFractions, batchSignalRatio]) expect(showsAsText(view(hostile, { document }), view === varianceFractions ? "patient" : HOSTILE)).toBe(true);
    expect(varianceFractions(hostile, { document }).querySelector("script")).toBeNull();
  });
});
