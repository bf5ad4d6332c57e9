// `pnpm fuzz [runs]`: the fuzz properties with many inputs (default 100,000 each); not run by CI.
import fc from "fast-check";
import { fitNeverCrashes, frameNeverCrashes, parserNeverCrashes, printParseRoundTrip } from "./properties.js";
import { csvRoundTrip } from "./csvRoundTrip.js";

const runs = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const properties: [string, fc.IProperty<never>, number][] = [
  ["parser", parserNeverCrashes as never, runs],
  ["print/parse round trip", printParseRoundTrip as never, runs],
  ["model frame", frameNeverCrashes as never, runs],
  ["tiny fits", fitNeverCrashes as never, Math.ceil(runs / 10)],
  ["CSV round trip", csvRoundTrip as never, runs],
];
console.log(`seed ${seed}`);
for (const [name, property, numRuns] of properties) {
  const t = performance.now();
  fc.assert(property, { numRuns, seed });
  console.log(`${name}: ${numRuns} inputs, no failure (${((performance.now() - t) / 1000).toFixed(1)} s)`);
}
