// Imports every package from its built ESM output (no "source" condition, no TypeScript loader),
// as a user's plain Node script would, and runs a fit, a tidy table and a worker job.
import * as core from "@lmm/core";
import * as arquero from "@lmm/arquero";
import * as diagnostics from "@lmm/diagnostics";
import * as plot from "@lmm/plot";
import * as report from "@lmm/report";
import * as genetics from "@lmm/genetics";
import * as datasets from "@lmm/datasets";
import { table } from "arquero";

const d = datasets.tma();
const m = core.lmm("feature_01 ~ grade + (1 | patient) + (1 | batch) + (1 | reader)", d.columns, { levels: d.levels });
const t = arquero.tidy(m, { effects: ["fixed"], ddf: "satterthwaite" });
const each = await arquero.fitEach(table(d.columns), "{feature} ~ 1 + (1 | patient) + (1 | batch)", ["feature_01", "feature_02", "feature_03"], { workers: 1 });
console.log(JSON.stringify({
  objective: m.objective,
  tidyRows: t.numRows(),
  features: each.glance.numRows(),
  exports: [core.lmm, arquero.fit, diagnostics.varpart, plot.caterpillar, report.report, genetics.computeGrm].map((f) => typeof f),
}));
