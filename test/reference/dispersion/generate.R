# Reference fits for the dispersion formula (issue 20): nlme::lme with weights = varIdent(form = ~ 1 | <factor>)
# by REML and ML, on the repository's shipped data sets (radiomics, TMA) and one generated set.
# Run from the repository root:  Rscript test/reference/dispersion/generate.R
# Writes test/reference/dispersion/cases.json (and generated.csv). R 4.2.2, nlme 3.1-162.
suppressPackageStartupMessages({ library(nlme); library(jsonlite) })
out_dir <- "test/reference/dispersion"

radiomics <- read.csv("packages/datasets/data/radiomics.csv", stringsAsFactors = TRUE)
tma <- read.csv("packages/datasets/data/tma.csv", stringsAsFactors = TRUE)

# A generated set: two crossed factors in a nested-free layout, three labs with noise ratios 1 : 2 : 0.5.
set.seed(20261204)
gen <- expand.grid(rep = 1:3, subject = sprintf("S%02d", 1:30), stringsAsFactors = FALSE)
gen$lab <- c("L1", "L2", "L3")[(seq_len(nrow(gen)) %% 3) + 1]
gen$x <- round(rnorm(nrow(gen)), 4)
u <- rnorm(30, sd = 0.8); names(u) <- sprintf("S%02d", 1:30)
slope <- rnorm(30, sd = 0.3); names(slope) <- sprintf("S%02d", 1:30)
noise <- c(L1 = 1, L2 = 2, L3 = 0.5)
gen$y <- round(1 + 0.5 * gen$x + u[gen$subject] + slope[gen$subject] * gen$x + rnorm(nrow(gen), sd = noise[gen$lab]), 4)
gen <- gen[, c("subject", "lab", "x", "y")]
write.csv(gen, file.path(out_dir, "generated.csv"), row.names = FALSE, quote = FALSE)
gen <- read.csv(file.path(out_dir, "generated.csv"), stringsAsFactors = TRUE)
tma$all <- factor(1)

# Random-effect sds (and correlations) in our naming: groups maps nlme's reStruct names to ours; for
# pdBlocked, blocks names the first column of each block.
components <- function(m, groups, blocks = NULL) {
  out <- list()
  for (g in names(m$modelStruct$reStruct)) {
    cov <- pdMatrix(m$modelStruct$reStruct[[g]]) * m$sigma^2
    if (!is.null(blocks)) {
      for (b in names(blocks)) out[[length(out) + 1]] <- list(group = b, term = "(Intercept)", sd = sqrt(cov[blocks[[b]], blocks[[b]]]))
      next
    }
    terms <- rownames(cov)
    for (i in seq_along(terms)) out[[length(out) + 1]] <- list(group = groups[[g]], term = terms[i], sd = sqrt(cov[i, i]))
    if (length(terms) > 1) for (i in 2:length(terms)) for (j in 1:(i - 1))
      out[[length(out) + 1]] <- list(group = groups[[g]], term = paste(terms[j], terms[i], sep = "."), cor = cov[i, j] / sqrt(cov[i, i] * cov[j, j]))
  }
  out
}

fit_case <- function(name, data_file, data, formula, dispersion, fixed, random, reml, groups, blocks = NULL, compared = NULL) {
  strat <- all.vars(as.formula(dispersion))[1]
  w <- varIdent(form = as.formula(paste("~ 1 |", strat)))
  m <- lme(fixed, random = random, data = data, weights = w, method = if (reml) "REML" else "ML",
           control = lmeControl(maxIter = 500, msMaxIter = 500, niterEM = 100, tolerance = 1e-10, msTol = 1e-12, msMaxEval = 5000, opt = "nlminb"))
  levs <- levels(data[[strat]])
  ratios <- coef(m$modelStruct$varStruct, unconstrained = FALSE, allCoef = TRUE)
  sds <- setNames(as.list(unname(m$sigma * ratios[levs])), levs)
  tt <- summary(m)$tTable
  list(
    name = name, data = data_file, formula = formula, dispersion = dispersion, reml = reml,
    nlme = paste(deparse(fixed), "random:", paste(deparse(random), collapse = " ")),
    compared = compared,
    logLik = as.numeric(logLik(m)),
    df = attr(logLik(m), "df"),
    beta = setNames(as.list(unname(fixef(m))), names(fixef(m))),
    # sqrt(diag(varFix)): Var(β̂) at the estimates, lme4's vcov convention. summary()'s tTable inflates ML
    # standard errors by sqrt(N / (N - p)); REML ones are the same either way.
    se = setNames(as.list(unname(sqrt(diag(m$varFix)))), rownames(tt)),
    sigma = m$sigma * unname(ratios[levs[1]]),
    sd = sds,
    varcorr = components(m, groups, blocks),
    # Pearson residuals (y − Xβ̂ − Zb̃) / (σ̂δ̂_g) of the first 10 data rows (nlme returns residuals in the data's row order).
    pearson_head = unname(head(residuals(m, type = "pearson"), 10))
  )
}

cases <- list()
for (reml in c(TRUE, FALSE)) {
  tag <- if (reml) "REML" else "ML"
  cases[[length(cases) + 1]] <- fit_case(paste("radiomics intercept", tag), "packages/datasets/data/radiomics.csv", radiomics,
    "f_firstorder_Mean ~ grade + time + (1 | patient)", "~ vendor",
    f_firstorder_Mean ~ grade + time, ~ 1 | patient, reml, list(patient = "patient"))
  cases[[length(cases) + 1]] <- fit_case(paste("radiomics nested", tag), "packages/datasets/data/radiomics.csv", radiomics,
    "f_glcm_Contrast ~ grade + time + (1 | site/patient)", "~ vendor",
    f_glcm_Contrast ~ grade + time, ~ 1 | site/patient, reml, list(site = "site", patient = "patient:site"))
  cases[[length(cases) + 1]] <- fit_case(paste("generated slope", tag), "test/reference/dispersion/generated.csv", gen,
    "y ~ x + (x | subject)", "~ lab",
    y ~ x, ~ x | subject, reml, list(subject = "subject"))
  cases[[length(cases) + 1]] <- fit_case(paste("tma crossed", tag), "packages/datasets/data/tma.csv", tma,
    "feature_01 ~ grade + (1 | patient) + (1 | batch)", "~ reader",
    feature_01 ~ grade, list(all = pdBlocked(list(pdIdent(~ patient - 1), pdIdent(~ batch - 1)))), reml,
    NULL, blocks = list(patient = "patientT001", batch = "batchB1"),
    compared = "crossed (1 | patient) + (1 | batch) as nlme's pdBlocked(pdIdent(~ patient - 1), pdIdent(~ batch - 1)) in one group: logLik, beta, SEs, residual sds and the two random-effect sds")
}
# Likelihood-ratio tests against the homoscedastic model (both by ML, as anova() refits REML fits):
# nlme's anova(m0, m1).
lrt <- function(name, data_file, data, formula, dispersion, fixed, random) {
  strat <- all.vars(as.formula(dispersion))[1]
  # nlminb reports "singular convergence" on the homoscedastic fits at msTol 1e-12: nlme's default msTol here.
  ctl <- lmeControl(maxIter = 500, msMaxIter = 500, niterEM = 100, tolerance = 1e-10, msMaxEval = 5000, opt = "nlminb")
  m0 <- lme(fixed, random = random, data = data, method = "ML", control = ctl)
  m1 <- lme(fixed, random = random, data = data, method = "ML", control = ctl, weights = varIdent(form = as.formula(paste("~ 1 |", strat))))
  a <- anova(m0, m1)
  list(name = name, data = data_file, formula = formula, dispersion = dispersion,
       logLik0 = as.numeric(logLik(m0)), logLik1 = as.numeric(logLik(m1)),
       chisq = a$L.Ratio[2], df = a$df[2] - a$df[1], p = a$`p-value`[2])
}
tests <- list(
  lrt("radiomics intercept", "packages/datasets/data/radiomics.csv", radiomics, "f_firstorder_Mean ~ grade + time + (1 | patient)", "~ vendor",
      f_firstorder_Mean ~ grade + time, ~ 1 | patient),
  lrt("radiomics nested", "packages/datasets/data/radiomics.csv", radiomics, "f_glcm_Contrast ~ grade + time + (1 | site/patient)", "~ vendor",
      f_glcm_Contrast ~ grade + time, ~ 1 | site/patient)
)
# Profile-likelihood intervals of δ (ML): the deviance with one level's δ held (varIdent's `fixed`; the
# unnamed level of `value` is the reference, here the first level of the factor) minus the optimum's,
# solved for χ²₁(0.95) on each side with uniroot.
profile_delta <- function(name, data_file, data, formula, dispersion, fixed, random) {
  strat <- all.vars(as.formula(dispersion))[1]
  levs <- levels(data[[strat]])
  ctl <- lmeControl(maxIter = 500, msMaxIter = 500, niterEM = 100, tolerance = 1e-10, msTol = 1e-12, msMaxEval = 5000, opt = "nlminb")
  fitWith <- function(value, fix = NULL) lme(fixed, random = random, data = data, method = "ML", control = ctl,
    weights = varIdent(value = value, fixed = fix, form = as.formula(paste("~ 1 |", strat))))
  m <- fitWith(setNames(rep(1, length(levs) - 1), levs[-1]))
  est <- coef(m$modelStruct$varStruct, unconstrained = FALSE, allCoef = TRUE)
  l0 <- as.numeric(logLik(m))
  lapply(levs[-1], function(lv) {
    others <- setdiff(levs[-1], lv)
    excess <- function(v) 2 * (l0 - as.numeric(logLik(fitWith(setNames(as.numeric(est[others]), others), setNames(v, lv))))) - qchisq(0.95, 1)
    list(name = name, data = data_file, formula = formula, dispersion = dispersion, level = lv, delta = unname(est[[lv]]),
         lower = uniroot(excess, c(est[[lv]] * 0.5, est[[lv]]), tol = 1e-10)$root,
         upper = uniroot(excess, c(est[[lv]], est[[lv]] * 2), tol = 1e-10)$root)
  })
}
profiles <- profile_delta("radiomics intercept ML", "packages/datasets/data/radiomics.csv", radiomics, "f_firstorder_Mean ~ grade + time + (1 | patient)", "~ vendor",
                          f_firstorder_Mean ~ grade + time, ~ 1 | patient)
writeLines(toJSON(list(generated_by = "test/reference/dispersion/generate.R", R = R.version.string, nlme = as.character(packageVersion("nlme")), cases = cases, lrt = tests, profile = profiles),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"), file.path(out_dir, "cases.json"))
cat("wrote", length(cases), "cases\n")
