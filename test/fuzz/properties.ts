// The properties the fuzz tests check, shared by the CI test and the long `pnpm fuzz` run.
import fc from "fast-check";
import { expandFormula, LmmError, lmm, parseFormula, printFormula } from "@lmm/core";
import { ResponseFits } from "@lmm/core/engine";
import { smallData, structured, tokenSoup } from "./arbitraries.js";

/** Every input is answered quickly: a value or one of our typed errors, never anything else. */
function typedOrValue(run: () => unknown): boolean {
  const start = performance.now();
  try {
    run();
  } catch (e) {
    if (!(e instanceof LmmError)) throw e;
  }
  const ms = performance.now() - start;
  if (ms > 1000) throw new Error(`took ${ms.toFixed(0)} ms`);
  return true;
}

export const parserNeverCrashes = fc.property(fc.oneof(tokenSoup, structured), (text) => typedOrValue(() => expandFormula(parseFormula(text))));

export const printParseRoundTrip = fc.property(structured, (text) => {
  let ast;
  try {
    ast = parseFormula(text);
  } catch (e) {
    if (e instanceof LmmError) return true;
    throw e;
  }
  const printed = printFormula(ast);
  const again = parseFormula(printed);
  return printFormula(again) === printed;
});

export const frameNeverCrashes = fc.property(structured, smallData, (text, data) => typedOrValue(() => ResponseFits.build(text, data)));

export const fitNeverCrashes = fc.property(fc.constantFrom("y ~ x + (1 | g)", "y ~ t + (t | site)", "y ~ a * b + (1 | g) + (1 | site)", "y ~ x + (1 | site/g)"), smallData, (text, data) =>
  typedOrValue(() => {
    const m = lmm(text, data, { checkConvergence: false });
    if (!Number.isFinite(m.objective)) throw new Error(`non-finite objective without an error: ${m.objective}`);
  }),
);
