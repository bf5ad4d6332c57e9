// What the bundled page computes, computed in Node from the installed packages (copied into the app beside data.js).
import { bootstrap, lmm } from "@lmm/core";
import { Rng } from "@lmm/core/numerics";
import { simulatedSites } from "./data.js";

const model = lmm("y ~ x + (1 | site)", simulatedSites(new Rng(7)));
const boot = await bootstrap(model, 8, { seed: 1, workers: 0 });
console.log(JSON.stringify({ objective: model.objective, fixef: model.fixef().map((f) => f.name), bootstrapSigma: Array.from(boot.table.sigma), bootstrapFailures: boot.failures }));
