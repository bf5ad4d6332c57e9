// Writes the workbench test's table (test/support/workbenchTable.ts) to stdout, for fit.R.
import { workbenchCsv } from "../../support/workbenchTable.js";

process.stdout.write(workbenchCsv());
