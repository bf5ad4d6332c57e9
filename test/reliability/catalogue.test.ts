import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { CATALOGUE, catalogueMarkdown, outcome } from "./catalogue.js";

describe("catalogue of bad inputs", () => {
  it("has at least 40 entries", () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
  });
  for (const entry of CATALOGUE) {
    it(`${entry.area}: ${entry.input}`, async () => {
      const { kind, message } = await outcome(entry);
      expect(kind).toBe(entry.error);
      expect(message).toMatch(entry.names);
    });
  }
  it("docs/errors.md is up to date (pnpm errors-doc)", async () => {
    const doc = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");
    expect(doc).toBe(await catalogueMarkdown());
  });
});
