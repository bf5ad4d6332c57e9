// Views of diagnostics results across levels and features: influence, cross-validation, variance
// partition, batch effects, GWAS scans. One module per view under views/ (see modelViews.test.ts).
import "./views/influence.ts";
import "./views/variance.ts";
import "./views/batch.ts";
import "./views/gwas.ts";
