# generate.R -- lme4 reference optima on flat likelihoods (issue 21): multi-site radiomics designs,
# feature ~ time * arm + vendor + (1 | site) + (1 + time | site:patient), 12 sites, 473 patients, where
# the site variance is weakly identified (vendor is constant within a site: 12 sites leave 9 degrees
# of freedom for it) and a patient-slope sd may be near 0. Two seeded designs; from each, 40 features
# with random variance components are drawn (as the search that found them drew them) and the ones
# where BOBYQA alone stopped short of lme4's optimum or failed the convergence check are kept:
#   radiomicsArm2 f33 -- BOBYQA stops on a saddle (slope sd ~4e-5, negative curvature; 1.2e-4 above lme4's criterion)
#   radiomicsArm3 f05, f12, f36 -- BOBYQA stops with a scaled gradient above lme4's 0.002
#   radiomicsArm2 f01, radiomicsArm3 f01 -- ordinary fits, for contrast
# Each is fitted by REML and ML. Run from this folder: Rscript generate.R   (R 4.2.2, lme4 1.1-31)
# Writes data/<name>.csv + .columns.json, cases/<case_id>.json, index.json.
# Reuses the number formatting, JSON writer and dataset writer of ../lme4/common.R.
source("../lme4/common.R")
dir.create("data", showWarnings = FALSE); dir.create("cases", showWarnings = FALSE)
unlink(Sys.glob("cases/*.json"))

FORMULA_RHS <- "~ time * arm + vendor + (1 | site) + (1 + time | site:patient)"

simulate <- function(seed, keep, K = 40) {
  set.seed(seed)
  site_sizes <- c(112, 78, 61, 48, 40, 35, 30, 24, 18, 12, 9, 6)   # 473 patients
  sites <- sprintf("S%02d", seq_along(site_sizes))
  vendors <- c("GE", "Siemens", "Philips")
  site_vendor <- vendors[c(1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3)]
  pat <- data.frame(site = rep(sites, site_sizes), vendor = rep(site_vendor, site_sizes))
  pat$patient <- sprintf("P%03d", seq_len(nrow(pat)))
  pat$arm <- sample(c("control", "treated"), nrow(pat), replace = TRUE)
  pat$scans <- sample(2:4, nrow(pat), replace = TRUE, prob = c(0.25, 0.35, 0.4))
  rows <- pat[rep(seq_len(nrow(pat)), pat$scans), ]
  rows$time <- unlist(lapply(pat$scans, function(k) seq_len(k) - 1))
  n <- nrow(rows); site_i <- match(rows$site, sites); pat_i <- match(rows$patient, pat$patient)
  treated <- rows$arm == "treated"; vendor_shift <- c(GE = 0, Siemens = 0.6, Philips = -0.4)[rows$vendor]
  d <- rows[, c("site", "patient", "vendor", "arm", "time")]
  for (k in seq_len(K)) {
    # site sd, patient intercept and slope sds, their correlation, residual sd
    s <- list(site = runif(1, 0, 0.4), pi = runif(1, 0.3, 1.5), ps = runif(1, 0, 0.4), r = runif(1, -0.8, 0.8), e = runif(1, 0.3, 1.2))
    u_site <- rnorm(length(sites), 0, s$site); z1 <- rnorm(nrow(pat)); z2 <- rnorm(nrow(pat))
    u0 <- s$pi * z1; u1 <- s$ps * (s$r * z1 + sqrt(1 - s$r^2) * z2)
    d[[sprintf("f%02d", k)]] <- round(10 + 0.3 * rows$time + 0.5 * treated - 0.2 * rows$time * treated + vendor_shift +
      u_site[site_i] + u0[pat_i] + u1[pat_i] * rows$time + rnorm(n, 0, s$e), 6)
  }
  d <- d[, c("site", "patient", "vendor", "arm", "time", keep)]
  d$site <- factor(d$site, levels = sites); d$patient <- factor(d$patient, levels = pat$patient)
  d$vendor <- factor(d$vendor, levels = vendors); d$arm <- factor(d$arm, levels = c("control", "treated"))
  rownames(d) <- NULL
  name <- paste0("radiomicsArm", seed)
  save_dataset(d, name, sprintf("simulated by test/reference/optimum/generate.R (set.seed(%d), 40 features drawn)", seed),
    "12 sites (112 ... 6 patients), 473 patients, 2-4 scans each; vendor constant within a site; arm randomised per patient; only the kept features are written")
  list(name = name, data = read_dataset(file.path("data", paste0(name, ".csv")), file.path("data", paste0(name, ".columns.json"))), features = keep)
}

index <- list()
for (set in list(simulate(2L, c("f01", "f33")), simulate(3L, c("f01", "f05", "f12", "f36")))) {
  for (feature in set$features) for (REML in c(TRUE, FALSE)) {
    formula <- paste(feature, FORMULA_RHS)
    id <- paste0(set$name, "_", feature, "__", if (REML) "REML" else "ML")
    cat(sprintf("[%s] %s\n", format(Sys.time(), "%H:%M:%S"), id))
    cap <- capture_all(lme4::lmer(stats::as.formula(formula), data = set$data, REML = REML))
    if (!is.null(cap$error)) stop(id, ": ", cap$error)
    m <- cap$value
    ctab <- coef(summary(m))
    theta <- getME(m, "theta")
    out <- list(
      schema_version = "optimum-1.0",
      case_id = id, dataset = set$name, formula = formula, REML = REML,
      software = software_info(),
      messages = cap$messages, warnings = cap$warnings,
      optimizer = list(name = m@optinfo$optimizer, evaluations = m@optinfo$feval,
                       max_gradient = max(abs(m@optinfo$derivs$gradient)),
                       conv_messages = I(as.character(unlist(m@optinfo$conv$lme4$messages)))),
      nobs = nobs(m),
      fixed_effects = lapply(seq_len(nrow(ctab)), function(i) list(name = rownames(ctab)[i], estimate = unname(ctab[i, 1]), std_error = unname(ctab[i, 2]))),
      theta = list(names = I(names(theta)), values = I(unname(theta)), lower = I(getME(m, "lower"))),
      sigma = sigma(m),
      objective = if (REML) REMLcrit(m) else deviance(m),
      logLik = as.numeric(logLik(m)),
      singular = isSingular(m))
    write_json_file(out, file.path("cases", paste0(id, ".json")))
    index[[length(index) + 1L]] <- list(case_id = id, dataset = set$name, formula = formula, REML = REML)
  }
}
write_json_file(list(schema_version = "optimum-1.0", software = software_info(), cases = index), "index.json")
cat("done\n")
