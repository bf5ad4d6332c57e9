// A few thousand generated inputs in CI; `pnpm fuzz` runs 100,000 (scripts/fuzz.ts).
import { describe, it } from "vitest";
import fc from "fast-check";
import { fitNeverCrashes, frameNeverCrashes, parserNeverCrashes, printParseRoundTrip } from "./properties.js";

describe("fuzzing the formula parser and the model frame", () => {
  it("the parser answers every input with a result or a typed error", () => fc.assert(parserNeverCrashes, { numRuns: 3000, seed: 1 }));
  it("parse → print → parse round-trips", () => fc.assert(printParseRoundTrip, { numRuns: 2000, seed: 2 }));
  it("the model frame answers every formula and data set with a design or a typed error", () => fc.assert(frameNeverCrashes, { numRuns: 2000, seed: 3 }));
  it("fits on tiny, awkward data end in a fit or a typed error", () => fc.assert(fitNeverCrashes, { numRuns: 300, seed: 4 }));
});
