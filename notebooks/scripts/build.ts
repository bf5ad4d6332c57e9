// Builds every notebook to static pages with Notebook Kit's Vite plugin. Workspace packages are
// bundled from their TypeScript sources (the "source" export condition), so nothing else needs a
// build step. Usage: node --conditions=source --import tsx scripts/build.ts [outDir]
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, defaultClientConditions } from "vite";
import { config, observable } from "@observablehq/notebook-kit/vite";

const REPORT_DEMO = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>lmm report widget</title></head>
<body>
<h1>A report widget in a plain page</h1>
<p>One script import, one element:</p>
<pre>&lt;script type="module" src="lmm-report.js"&gt;&lt;/script&gt;
&lt;lmm-report src="clinics-model.json"&gt;&lt;/lmm-report&gt;</pre>
<script type="module" src="lmm-report.js"></script>
<lmm-report src="clinics-model.json"></lmm-report>
</body>
</html>
`;

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = resolve(process.argv[2] ?? join(root, "dist"));
const pages = readdirSync(root).filter((f) => f.endsWith(".html")).map((f) => join(root, f));

const base = config();
await build({
  ...base,
  configFile: false,
  logLevel: "warn",
  root,
  plugins: [observable()],
  resolve: { ...base.resolve, conditions: ["source", ...defaultClientConditions] },
  worker: { format: "es" },
  build: { outDir, emptyOutDir: true, rollupOptions: { input: pages }, chunkSizeWarningLimit: 4096 },
});
await buildReportBundle(outDir);
copyCohort(outDir);
await writeReportDemo(outDir);
console.log(`built ${pages.length} notebook${pages.length === 1 ? "" : "s"}, the report widget and its demo page into ${outDir}`);

/** The GWAS notebook's cohort (PLINK files and phenotypes), served beside the pages. */
function copyCohort(dir: string): void {
  const from = join(root, "..", "packages", "genetics", "data");
  mkdirSync(join(dir, "data"), { recursive: true });
  for (const f of ["cohort.bed", "cohort.bim", "cohort.fam", "cohort.pheno.csv", "cohort.truth.json"]) copyFileSync(join(from, f), join(dir, "data", f));
}

/** The report widget as one ES module, `lmm-report.js`, for plain web pages. */
async function buildReportBundle(dir: string): Promise<void> {
  await build({
    configFile: false,
    logLevel: "warn",
    resolve: { conditions: ["source", ...defaultClientConditions] },
    build: {
      outDir: dir,
      emptyOutDir: false,
      lib: { entry: join(root, "..", "packages", "report", "src", "bundle.ts"), formats: ["es"], fileName: () => "lmm-report.js" },
      chunkSizeWarningLimit: 4096,
    },
  });
}

/** A plain page (no notebook, no framework) that embeds the widget with one script import. */
async function writeReportDemo(dir: string): Promise<void> {
  const { lmm } = await import("@lmm/core");
  const { writeFileAtomic } = await import("@lmm/core/node");
  const { reportData } = await import("@lmm/report");
  const { clinics } = await import("@lmm/datasets");
  const d = clinics();
  const model = lmm("y ~ program * time + (1 | clinic) + (1 + time | clinic:patient)", d.columns, { levels: d.levels });
  await writeFileAtomic(join(dir, "clinics-model.json"), JSON.stringify(reportData(model, { title: "Clinics and patients: the program effect" })));
  await writeFileAtomic(join(dir, "report-demo.html"), REPORT_DEMO);
}
