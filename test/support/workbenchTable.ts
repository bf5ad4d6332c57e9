// The feature table the workbench's browser test loads: simulated here, written as CSV by the test
// itself (no shipped data set), and by test/reference/workbench/run.sh for lme4's reference fit.
// Multi-site, repeated scans per patient, a few missing cells (NA and empty) that the fit must drop.
import { Rng } from "@lmm/core/numerics";

/** The formula the test types and lme4 fits. */
export const WORKBENCH_FORMULA = "feature ~ grade + time + (1 | site) + (1 + time | site:patient)";

/** The table as CSV text (header, "NA" and empty cells for missing values), the same on every run. */
export function workbenchCsv(): string {
  const rng = new Rng(20240611);
  const lines = ["site,patient,grade,time,scanner,feature"];
  const grades = ["G1", "G2", "G3"];
  const gradeEffect = [0, 0.35, 0.8];
  let row = 0;
  for (let s = 1; s <= 8; s++) {
    const site = `S${String(s).padStart(2, "0")}`;
    const siteEffect = 0.4 * rng.normal();
    const scanner = s % 3 === 0 ? "Siemens" : s % 3 === 1 ? "GE" : "Philips";
    const patients = 5 + rng.int(8);
    for (let p = 1; p <= patients; p++) {
      const patient = `P${String(p).padStart(2, "0")}`;
      const g = rng.int(3);
      const intercept = 0.5 * rng.normal(), slope = 0.08 * rng.normal();
      const visits = 2 + rng.int(3);
      for (let t = 0; t < visits; t++) {
        const y = 3 + gradeEffect[g] - 0.06 * t + siteEffect + intercept + slope * t + 0.3 * rng.normal();
        row++;
        // Every 37th row has no feature value, every 53rd no time: rows the fit leaves out.
        const feature = row % 37 === 0 ? "NA" : y.toFixed(6);
        const time = row % 53 === 0 ? "" : String(t);
        lines.push([site, patient, grades[g], time, scanner, feature].join(","));
      }
    }
  }
  return lines.join("\n") + "\n";
}
