// Views drawn from a fitted model (and the diagnostics computed on it). One module per view under
// views/; they share one process here because importing jsdom, Plot and the workspace costs seconds.
import "./views/caterpillar.ts";
import "./views/qq.ts";
import "./views/shrinkage.ts";
import "./views/residuals.ts";
import "./views/trajectories.ts";
import "./views/profile.ts";
import "./views/figure.ts";
