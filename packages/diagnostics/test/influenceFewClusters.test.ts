// Cluster-level Cook's distance needs more deleted clusters than fixed effects (lme4's factor
// (n − p)/(n p)); with fewer it is undefined, never a negative distance, and DFBETAS carry the influence.
import { describe, expect, it } from "vitest";
import { lmm } from "@lmm/core";
import { clusterInfluence } from "../src/index.js";
import { loadDataset } from "../../../test/support/reference.js";

const ds = loadDataset("sleepstudy");
const subjects = ds.levels.Subject;
const data = {
  ...ds.data,
  half: Array.from(ds.data.Subject as ArrayLike<string>, (s) => (subjects.indexOf(String(s)) < 9 ? "first" : "second")),
  Days2: Array.from(ds.data.Days as ArrayLike<number>, (d) => d * d),
};

describe("13. influence with fewer deleted units than fixed effects", () => {
  it("2 halves of the subjects, 3 fixed effects: Cook's distance undefined and said so, DFBETAS reported", async () => {
    const m = lmm("Reaction ~ Days + Days2 + (Days | Subject)", data, { levels: ds.levels });
    const r = await clusterInfluence(m, { data, group: "half" });
    expect([r.n, r.p, r.cooksDefined]).toEqual([2, 3, false]);
    for (const l of r.levels) {
      expect(l.cooksD).toBeNaN();
      expect(l.flags.includes("cooksD")).toBe(false);
      expect(Array.from(l.dfbetas).every(Number.isFinite)).toBe(true);
      expect(l.error).toBeNull();
    }
    expect(r.cutoffs.cooksD).toBeNaN();
    expect(r.warnings).toEqual([
      "Cook's distance is undefined for 2 deleted levels of half and 3 fixed effects: it needs more deleted clusters than fixed effects ((n - p)/(n p) would be negative); DFBETAS only",
    ]);
  });

  it("with more clusters than fixed effects nothing changes", async () => {
    const m = lmm("Reaction ~ Days + (Days | Subject)", ds.data, { levels: ds.levels });
    const r = await clusterInfluence(m, { data: ds.data, group: "Subject" });
    expect([r.cooksDefined, r.warnings]).toEqual([true, []]);
    expect(r.levels.every((l) => l.cooksD >= 0)).toBe(true);
  });
});
