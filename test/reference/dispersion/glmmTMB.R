# Reference fits for the dispersion formula (issue 20) from glmmTMB: the same data sets and models as
# generate.R's nlme fits (read from cases.json, so the two cannot drift apart), written the way glmmTMB writes
# them: `glmmTMB(<formula>, dispformula = ~ <factor>, REML = <reml>)`, crossed effects as (1 | patient) + (1 | batch).
# Run from the repository root after generate.R:  Rscript test/reference/dispersion/glmmTMB.R
# Writes test/reference/dispersion/glmmTMB.json. R 4.2.2, glmmTMB 1.1.5, TMB 1.9.2 (Debian r-cran-glmmtmb).
suppressPackageStartupMessages({ library(glmmTMB); library(lme4); library(jsonlite) })
out_dir <- "test/reference/dispersion"
nlme_ref <- fromJSON(file.path(out_dir, "cases.json"), simplifyVector = FALSE)

datasets <- list()
data_of <- function(file) {
  if (is.null(datasets[[file]])) datasets[[file]] <<- read.csv(file, stringsAsFactors = TRUE)
  datasets[[file]]
}

# glmmTMB's gaussian dispersion model is linear on log(σ²) (glmmTMB 1.1.5: the dispersion is σ², and
# sigma() is NA once dispformula is more than ~ 1). Checked before trusting it: a homoscedastic fit's
# exp(β_disp / 2) must be lme4's σ.
radiomics <- data_of("packages/datasets/data/radiomics.csv")
h_tmb <- glmmTMB(f_firstorder_Mean ~ grade + time + (1 | patient), data = radiomics, REML = TRUE)
h_lme4 <- lmer(f_firstorder_Mean ~ grade + time + (1 | patient), data = radiomics, REML = TRUE)
check <- list(formula = "f_firstorder_Mean ~ grade + time + (1 | patient)", data = "packages/datasets/data/radiomics.csv", reml = TRUE,
              exp_half_disp = unname(exp(fixef(h_tmb)$disp / 2)), sigma_glmmTMB = sigma(h_tmb), sigma_lme4 = sigma(h_lme4),
              exp_disp = unname(exp(fixef(h_tmb)$disp)))
stopifnot(abs(check$exp_half_disp / check$sigma_lme4 - 1) < 1e-5, abs(check$sigma_glmmTMB / check$sigma_lme4 - 1) < 1e-5)

# Random-effect sds and correlations, named as our varCorr names them (glmmTMB names groups as lme4 does).
components <- function(m) {
  out <- list()
  vc <- VarCorr(m)$cond
  for (g in names(vc)) {
    s <- attr(vc[[g]], "stddev"); r <- attr(vc[[g]], "correlation"); terms <- names(s)
    for (i in seq_along(terms)) out[[length(out) + 1]] <- list(group = g, term = terms[i], sd = unname(s[i]))
    if (length(terms) > 1) for (i in 2:length(terms)) for (j in 1:(i - 1))
      out[[length(out) + 1]] <- list(group = g, term = paste(terms[j], terms[i], sep = "."), cor = r[i, j])
  }
  out
}

fit_case <- function(ref) {
  data <- data_of(ref$data)
  strat <- all.vars(as.formula(ref$dispersion))[1]
  m <- glmmTMB(as.formula(ref$formula), dispformula = as.formula(ref$dispersion), data = data, REML = ref$reml)
  stopifnot(m$fit$convergence == 0, m$sdr$pdHess)
  levs <- levels(data[[strat]])
  bd <- fixef(m)$disp
  stopifnot(identical(names(bd), c("(Intercept)", paste0(strat, levs[-1]))))
  log_var <- bd[1] + c(0, bd[-1])                          # log σ²_g, reference level first
  # Standard errors as lme4 and nlme report them, (X'V̂⁻¹X)^(-1/2) with the variance parameters taken as known:
  # glmmTMB's own by ML with θ and the dispersion coefficients held (TMB `map`) at this fit's estimates.
  p <- m$obj$env$parList(m$fit$par, m$obj$env$last.par.best)
  held <- glmmTMB(as.formula(ref$formula), dispformula = as.formula(ref$dispersion), data = data, REML = FALSE,
                  start = list(theta = p$theta, betad = p$betad),
                  map = list(theta = factor(rep(NA, length(p$theta))), betad = factor(rep(NA, length(p$betad)))))
  stopifnot(held$fit$convergence == 0, max(abs(fixef(held)$cond / fixef(m)$cond - 1)) < 1e-4)
  list(
    name = ref$name, data = ref$data, formula = ref$formula, dispersion = ref$dispersion, reml = ref$reml,
    glmmTMB = sprintf("glmmTMB(%s, dispformula = %s, REML = %s)", ref$formula, ref$dispersion, ref$reml),
    convergence = m$fit$convergence, message = m$fit$message, pdHess = m$sdr$pdHess,
    logLik = as.numeric(logLik(m)),
    df = attr(logLik(m), "df"),
    logLik_minus_nlme = as.numeric(logLik(m)) - ref$logLik,
    beta = as.list(fixef(m)$cond),
    se = as.list(sqrt(diag(vcov(held)$cond))),
    # glmmTMB's vcov(): TMB's sdreport, the inverse Hessian over every parameter jointly, so it carries the
    # uncertainty of θ and the dispersion coefficients too; not lme4's convention, kept for the record.
    se_joint = as.list(sqrt(diag(vcov(m)$cond))),
    disp = as.list(bd),
    sd = setNames(as.list(unname(exp(log_var / 2))), levs),
    varcorr = components(m)
  )
}

cases <- lapply(nlme_ref$cases, fit_case)
for (c in cases) cat(sprintf("%-26s logLik %.6f (glmmTMB - nlme %+.2e), max |se_joint/se - 1| %.3g\n", c$name, c$logLik, c$logLik_minus_nlme,
                             max(abs(unlist(c$se_joint) / unlist(c$se) - 1))))
writeLines(toJSON(list(generated_by = "test/reference/dispersion/glmmTMB.R", R = R.version.string,
                       glmmTMB = as.character(packageVersion("glmmTMB")), TMB = as.character(packageVersion("TMB")),
                       parameterisation = check, cases = cases),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"), file.path(out_dir, "glmmTMB.json"))
cat("wrote", length(cases), "cases\n")
