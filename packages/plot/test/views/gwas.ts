import { describe, expect, it } from "vitest";
import { lambdaGC, manhattan, naturalCompare, pvalueQq } from "../../src/index.ts";
import { described, document, HOSTILE, hover, marks, plotSvgs, showsAsText, tickLabels } from "../support/dom.ts";
import { causalSnps, gemmaScan, gwasSummary, plinkScan } from "../support/gwas.ts";

describe("GWAS views", () => {
  const gemma = gemmaScan();
  const summary = gwasSummary();
  const causal = causalSnps();
  // Rendering 10,000 SVG circles in jsdom takes a second: draw the full Manhattan plot once.
  const full = plotSvgs(manhattan(gemma, { document, highlight: causal }))[0];

  it("computes λGC as the reference summary does (R, from the same p-values)", () => {
    // Same p-values, same formula; only the χ² quantile routine differs (qnorm(p/2)² vs R's qchisq).
    expect(lambdaGC(gemma.p)).toBeCloseTo(summary.methods.gemma_wald.lambda_gc, 9);
    expect(lambdaGC(plinkScan("naive").p)).toBeCloseTo(summary.methods.naive_sex.lambda_gc, 9);
    expect(lambdaGC(plinkScan("pc10").p)).toBeCloseTo(summary.methods.pc10_sex.lambda_gc, 9);
  });

  it("draws a Manhattan plot: every SNP, chromosomes in order, hits over 5e-8 in red above the rule", () => {
    const svg = full;
    expect(svg.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(gemma.p.length);
    const rule = +described(svg, "significance")[0].querySelector("line")!.getAttribute("y1")!;
    expect(tickLabels(svg, "x")).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    // Causal SNPs are drawn apart (highlighted); the hits are those over the threshold.
    const hits = [...svg.querySelectorAll('g[aria-description="hits"] circle, g[aria-description="highlighted"] circle')].filter((c) => +c.getAttribute("cy")! < rule);
    expect(hits).toHaveLength(summary.methods.gemma_wald.n_sig_5e8);
    for (const c of hits) expect(+c.getAttribute("cy")!).toBeLessThan(rule);
    for (const c of described(svg, "snps")[0].querySelectorAll("circle")) expect(+c.getAttribute("cy")!).toBeGreaterThan(rule);
    expect(full.closest("figure")?.querySelector("h3")?.textContent).toContain(`λGC = ${summary.methods.gemma_wald.lambda_gc.toFixed(3)}`);
  });

  it("highlights given SNPs and names SNP, chromosome, position and p in the tip", async () => {
    const svg = full;
    const big = [...described(svg, "highlighted")[0].querySelectorAll("circle")];
    expect(big).toHaveLength(causal.length);
    const tip = await hover(svg, big.at(-1)!);
    expect(tip).toMatch(/^SNP snp\d{5}\nchromosome \d+\nposition \(bp\) [\d,]+\np [\d.]+e[-+]\d+\n−log10 p [\d.]+$/);
  });

  it("draws p-value Q-Q plots of several scans, each labelled with its λGC", () => {
    // The first 2,000 SNPs keep the render fast; λGC itself is checked against the reference above.
    const head = (p: ArrayLike<number>) => Array.from(p).slice(0, 2000);
    const lmm = head(gemma.p), naive = head(plinkScan("naive").p);
    const fig = pvalueQq([{ name: "LMM", p: lmm }, { name: "naive", p: naive }], { document });
    const svg = plotSvgs(fig)[0];
    expect(marks(svg, "dot")[0].querySelectorAll("circle")).toHaveLength(4000);
    expect(fig.textContent).toContain(`LMM (λGC ${lambdaGC(lmm).toFixed(3)})`);
    expect(fig.textContent).toContain(`naive (λGC ${lambdaGC(naive).toFixed(3)})`);
    // Largest observed −log10 p at the largest expected one: sorted.
    const dots = [...marks(svg, "dot")[0].querySelectorAll("circle")].slice(0, 2000).map((c) => [+c.getAttribute("cx")!, +c.getAttribute("cy")!]);
    for (let i = 1; i < dots.length; i++) expect(dots[i][0] <= dots[i - 1][0] && dots[i][1] >= dots[i - 1][1]).toBe(true);
    expect(described(svg, "identity")[0].querySelector("path")).not.toBeNull();
  });

  it("orders chromosomes naturally and keeps SNP names as text", async () => {
    expect(["X", "10", "2", "1"].sort(naturalCompare)).toEqual(["1", "2", "10", "X"]);
    const svg = plotSvgs(manhattan({ chromosome: [1, 1, 2], position: [10, 20, 5], p: [0.5, 1e-9, 0.1], snp: ["a", HOSTILE, "c"] }, { document }))[0];
    const tip = await hover(svg, described(svg, "hits")[0].querySelector("circle")!);
    expect(tip).toContain(`SNP ${HOSTILE}`);
    expect(showsAsText(svg, "Chromosome")).toBe(true);
    expect(svg.querySelector("script")).toBeNull();
  });
});
