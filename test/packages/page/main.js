// A page as a user of the published packages writes it: bare imports, bundled by Vite from node_modules.
// It fits a model, draws a caterpillar plot, shows the report widget and runs a bootstrap in a Web Worker,
// then leaves what it found on window.lmmPage for the test to read.
import { bootstrap, lmm } from "@lmm/core";
import { Rng } from "@lmm/core/numerics";
import { caterpillar } from "@lmm/plot";
import { report } from "@lmm/report";
import { simulatedSites } from "./data.js";

try {
  const data = simulatedSites(new Rng(7));
  const model = lmm("y ~ x + (1 | site)", data);
  const out = document.getElementById("out");
  out.append(caterpillar(model), report(model, { title: "Bundled" }));
  const boot = await bootstrap(model, 8, { seed: 1, workers: 1 });
  window.lmmPage = {
    objective: model.objective,
    fixef: model.fixef().map((f) => f.name),
    svgs: out.querySelectorAll("svg").length,
    reportTables: out.querySelector(".lmm-report-host").shadowRoot.querySelectorAll("table").length,
    bootstrapSigma: Array.from(boot.table.sigma),
    bootstrapFailures: boot.failures,
  };
} catch (error) {
  window.lmmPage = { error: String(error && error.stack ? error.stack : error) };
}
