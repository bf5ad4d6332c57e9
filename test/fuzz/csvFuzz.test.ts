// Random tables written to CSV/TSV (random quoting, byte-order mark, CRLF/CR/LF, missing tokens) read back
// to exactly the same columns and types; `pnpm fuzz` runs many more.
import { describe, it } from "vitest";
import fc from "fast-check";
import { csvRoundTrip } from "./csvRoundTrip.js";

describe("the CSV reader round-trips random tables", () => {
  it("names, kinds and values come back exactly", () => fc.assert(csvRoundTrip, { numRuns: 1500, seed: 5 }));
});
