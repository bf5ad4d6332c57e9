# generate.R -- lme4 reference results for the formula language (issue 15): I(), transforms with
# arithmetic, poly(), scale(), ns()/bs(), offset() terms and the offset option, prior weights
# (including zero weights), contrasts (sum, helmert, poly; ordered factors), formula algebra.
# Run from this folder: Rscript generate.R   (R 4.2.2, lme4 1.1-31, lmerTest 3.1-3, nlme, splines)
# Writes data/<name>.csv + data/<name>.columns.json, cases/<case_id>.json, index.json.
# Reuses the number formatting, JSON writer and dataset writer of ../lme4/common.R.
source("../lme4/common.R")
suppressPackageStartupMessages({ library(nlme); library(splines) })
dir.create("data", showWarnings = FALSE); dir.create("cases", showWarnings = FALSE)
unlink(Sys.glob("cases/*.json"))

# ---------------------------------------------------------------------------
# Data sets, all shipped with R packages (a few derived columns, seeded, are marked in `notes`)
# ---------------------------------------------------------------------------
save_ordered <- function(df, name, source, notes = NULL) {
  save_dataset(df, name, source, notes)
  # read back with the recorded level order, keeping ordered factors ordered (R's default contr.poly)
  d <- read_dataset(file.path("data", paste0(name, ".csv")), file.path("data", paste0(name, ".columns.json")))
  for (nm in names(df)) if (is.ordered(df[[nm]])) d[[nm]] <- factor(d[[nm]], levels = levels(df[[nm]]), ordered = TRUE)
  d
}

set.seed(20240915)
ss <- lme4::sleepstudy
ss$w <- round(runif(nrow(ss), 0.5, 2), 3)          # prior weights
ss$w0 <- ss$w; ss$w0[c(3, 47, 120)] <- 0            # three rows with weight 0
ss$off <- round(rnorm(nrow(ss), 0, 5), 2)           # an offset column
ss$half <- factor(ifelse(ss$Days < 5, "early", "late"))
ss$pair <- factor(ss$Days %% 2)
sleep <- save_ordered(ss, "sleepstudy", "lme4::sleepstudy (lme4 1.1.31)",
  "w, w0, off: seeded (set.seed(20240915)); w0 = w with rows 3, 47, 120 set to 0; half = Days < 5, pair = Days %% 2")
orth <- save_ordered(as.data.frame(nlme::Orthodont), "Orthodont", "nlme::Orthodont (nlme 3.1)")
ox <- save_ordered(as.data.frame(nlme::Oxboys), "Oxboys", "nlme::Oxboys (nlme 3.1); Subject and Occasion are ordered factors")
cake <- save_ordered(lme4::cake, "cake", "lme4::cake (lme4 1.1.31); temperature is an ordered factor")
cw <- as.data.frame(datasets::ChickWeight); attributes(cw)[c("formula", "outer", "labels", "units")] <- NULL
chick <- save_ordered(cw, "ChickWeight", "datasets::ChickWeight (R 4.2.2); Chick is an ordered factor")
cbpp <- save_ordered(lme4::cbpp, "cbpp", "lme4::cbpp (lme4 1.1.31), fitted here as gaussian proportions and counts")
ie <- lme4::InstEval[lme4::InstEval$s %in% levels(lme4::InstEval$s)[1:120], ]
ie$s <- droplevels(ie$s); ie$d <- droplevels(ie$d); ie$dept <- droplevels(ie$dept)
rownames(ie) <- NULL
ie$y <- as.numeric(ie$y)
ie$w <- round(runif(nrow(ie), 0.25, 4), 2)          # seeded prior weights (crossed factors: the Schur path)
inst <- save_ordered(ie, "InstEval120", "lme4::InstEval (lme4 1.1.31), the rows of the first 120 students; studage and lectage are ordered factors",
  "w: seeded (set.seed(20240915) then the sleepstudy columns)")
pen <- lme4::Penicillin
pen$w <- c(0.5, 1, 1.5, 2, 2.5, 3)[as.integer(pen$sample)]
penicillin <- save_ordered(pen, "Penicillin", "lme4::Penicillin (lme4 1.1.31)",
  "w: a weight per sample (0.5 … 3), so every plate has the same total weight (the grouped Schur path)")

# ---------------------------------------------------------------------------
# One case: fit by lme4 (REML and ML), write cases/<id>__<REML|ML>.json
# spec: id, data (name), formula, weights/offset (column names, the lmer arguments), contrasts
# (list column = "sum" | "helmert" | "treatment" | "poly"), held (two 1-based rows predicted from a
# fit without them), type3 (lmerTest's anova type III, REML fits), positive_only (fit the rows with
# weight > 0: lme4 cannot take zero weights, which the toolkit leaves out)
# ---------------------------------------------------------------------------
N_STORE <- 60L
datasets <- list(sleepstudy = sleep, Orthodont = orth, Oxboys = ox, cake = cake, ChickWeight = chick, cbpp = cbpp, InstEval120 = inst, Penicillin = penicillin)
index <- list()

fit_with <- function(spec, d, REML) {
  args <- list(formula = stats::as.formula(spec$formula), data = d, REML = REML)
  if (!is.null(spec$weights)) args$weights <- d[[spec$weights]]
  if (!is.null(spec$offset)) args$offset <- d[[spec$offset]]
  if (!is.null(spec$contrasts)) args$contrasts <- lapply(spec$contrasts, function(c) paste0("contr.", c))
  cap <- capture_all(do.call(lme4::lmer, args))
  if (!is.null(cap$error)) stop(spec$id, ": ", cap$error)
  cap
}

# What poly(), scale(), ns() and bs() learned, from the model frame (R's makepredictcall inputs).
transforms_of <- function(m) {
  mf <- model.frame(m)
  out <- list()
  for (nm in names(mf)) {
    v <- mf[[nm]]
    if (!is.null(co <- attr(v, "coefs"))) out[[nm]] <- list(fn = "poly", alpha = I(co$alpha), norm2 = I(co$norm2))
    else if (!is.null(attr(v, "scaled:center")) || !is.null(attr(v, "scaled:scale")))
      out[[nm]] <- list(fn = "scale", center = attr(v, "scaled:center"), scale = attr(v, "scaled:scale"))
    else if (inherits(v, "ns") || inherits(v, "bs"))
      out[[nm]] <- list(fn = if (inherits(v, "ns")) "ns" else "bs", knots = I(unname(attr(v, "knots"))),
                        boundary = I(attr(v, "Boundary.knots")), intercept = attr(v, "intercept"), degree = attr(v, "degree"))
  }
  out
}

run_case <- function(spec) {
  d_all <- datasets[[spec$data]]
  keep <- if (isTRUE(spec$positive_only)) which(d_all[[spec$weights]] > 0) else seq_len(nrow(d_all))
  for (REML in c(TRUE, FALSE)) {
    id <- paste0(spec$id, "__", if (REML) "REML" else "ML")
    cat(sprintf("[%s] %s\n", format(Sys.time(), "%H:%M:%S"), id))
    d <- d_all[keep, , drop = FALSE]
    cap <- fit_with(spec, d, REML)
    m <- cap$value
    mf <- model.frame(m)
    used <- keep[setdiff(seq_len(nrow(d)), as.integer(attr(mf, "na.action")))]
    ctab <- coef(summary(m))
    theta <- getME(m, "theta")
    first <- seq_len(min(N_STORE, nobs(m)))   # observation-level values: the first used rows
    out <- list(
      schema_version = "formula-1.0",
      case_id = id, dataset = spec$data, formula = spec$formula, REML = REML,
      options = list(weights = spec$weights, offset = spec$offset, contrasts = spec$contrasts),
      notes = spec$notes,
      software = software_info(),
      messages = cap$messages, warnings = cap$warnings,
      nobs = nobs(m), row_index = I(used[first]),
      fixed_effects = lapply(seq_len(nrow(ctab)), function(i) list(name = rownames(ctab)[i], estimate = unname(ctab[i, 1]), std_error = unname(ctab[i, 2]))),
      vcov = unname(as.matrix(vcov(m))),
      theta = list(names = I(names(theta)), values = I(unname(theta)), lower = I(getME(m, "lower"))),
      sigma = sigma(m),
      objective = if (REML) REMLcrit(m) else deviance(m),
      logLik = as.numeric(logLik(m)),
      fitted = I(unname(fitted(m))[first]),
      fitted_fixed_only = I(unname(predict(m, re.form = NA))[first]),
      residual_response = I(unname(residuals(m, type = "response"))[first]),
      residual_pearson = I(unname(residuals(m, type = "pearson"))[first]),
      hatvalue = I(hat_rows(m, first)),
      transforms = transforms_of(m))
    if (!is.null(spec$held)) {
      held <- spec$held
      rest <- setdiff(keep, held)
      m2 <- fit_with(spec, d_all[rest, , drop = FALSE], REML)$value
      newdata <- d_all[held, , drop = FALSE]
      pred <- predict(m2, newdata = newdata)
      pred_fixed <- predict(m2, newdata = newdata, re.form = NA)
      if (!is.null(spec$offset)) {
        # lme4's predict(newdata) leaves out an offset given as the lmer argument; add it (what an
        # offset(…) term gives, and what the toolkit's predict does with the offset column).
        pred <- pred + newdata[[spec$offset]]; pred_fixed <- pred_fixed + newdata[[spec$offset]]
      }
      out$heldout <- list(rows = I(held), fixef = I(unname(fixef(m2))), prediction = I(unname(pred)), prediction_fixed = I(unname(pred_fixed)))
    }
    if (isTRUE(spec$profile)) {
      # Variance parameters only: lme4's profile of the fixed effects reuses the offset slot for
      # x_j β_j and loses the prior weights (its intervals there are too narrow, with warnings).
      ci <- suppressWarnings(confint(m, parm = "theta_", method = "profile", oldNames = FALSE))
      out$profile_confint <- lapply(seq_len(nrow(ci)), function(i) list(parameter = rownames(ci)[i], lower = ci[i, 1], upper = ci[i, 2]))
    }
    if (REML && isTRUE(spec$type3)) {
      mt <- lmerTest::as_lmerModLmerTest(m)
      out$anova_type3 <- anova_records(anova(mt, type = "III", ddf = "Satterthwaite"))
      sc <- coef(summary(mt, ddf = "Satterthwaite"))
      out$satterthwaite_df <- I(unname(sc[, "df"]))
    }
    write_json_file(out, file.path("cases", paste0(id, ".json")))
    index[[length(index) + 1L]] <<- list(case_id = id, dataset = spec$data, formula = spec$formula, REML = REML,
                                          weights = spec$weights, offset = spec$offset, contrasts = spec$contrasts)
  }
}

cases <- list(
  # I(), transforms with arithmetic, and their names
  list(id = "sleep_I_square", data = "sleepstudy", formula = "Reaction ~ Days + I(Days^2) + (Days | Subject)", held = c(4L, 95L)),
  list(id = "sleep_arith_transforms", data = "sleepstudy", formula = "I(Reaction/100) ~ sqrt(Days + 1) + exp(-Days/5) + (1 | Subject)", held = c(12L, 150L)),
  list(id = "sleep_log2_abs", data = "sleepstudy", formula = "log(Reaction) ~ log2(Days + 1) + abs(Days - 4.5) + I((Days - 4.5)^2) + (1 | Subject)"),
  list(id = "sleep_log10_log1p", data = "sleepstudy", formula = "Reaction ~ log10(Days + 2) + log1p(Days^2) + (1 | Subject)"),
  # poly(): orthogonal and raw, in the fixed and the random part
  list(id = "sleep_poly2", data = "sleepstudy", formula = "Reaction ~ poly(Days, 2) + (Days | Subject)", held = c(7L, 121L)),
  list(id = "sleep_poly3_raw", data = "sleepstudy", formula = "Reaction ~ poly(Days, 3, raw = TRUE) + (1 | Subject)", held = c(7L, 121L)),
  list(id = "orth_poly_sex", data = "Orthodont", formula = "distance ~ poly(age, 2) * Sex + (1 | Subject)", held = c(3L, 90L)),
  list(id = "chick_poly_random", data = "ChickWeight", formula = "log(weight) ~ poly(Time, 2) * Diet + (1 + poly(Time, 1) | Chick)", held = c(30L, 400L)),
  # scale()
  list(id = "sleep_scale", data = "sleepstudy", formula = "log(Reaction) ~ scale(Days) + (1 + scale(Days) | Subject)", held = c(20L, 170L)),
  list(id = "ox_scale_centre", data = "Oxboys", formula = "height ~ scale(age, scale = FALSE) + I(age^2) + (1 + scale(age, scale = FALSE) | Subject)", held = c(10L, 200L)),
  # splines: df, degree, explicit knots
  list(id = "sleep_ns3", data = "sleepstudy", formula = "Reaction ~ ns(Days, df = 3) + (1 | Subject)", held = c(2L, 99L)),
  list(id = "sleep_ns_knots", data = "sleepstudy", formula = "Reaction ~ ns(Days, knots = c(3, 6)) + (Days | Subject)", held = c(2L, 99L)),
  list(id = "ox_ns4", data = "Oxboys", formula = "height ~ ns(age, df = 4) + (age | Subject)", held = c(15L, 230L)),
  list(id = "chick_bs", data = "ChickWeight", formula = "weight ~ bs(Time, df = 5, degree = 3) + Diet + (Time | Chick)", held = c(45L, 500L)),
  list(id = "sleep_bs_deg2", data = "sleepstudy", formula = "Reaction ~ bs(Days, df = 4, degree = 2) + (1 | Subject)", held = c(9L, 81L)),
  # offsets: offset() terms and the offset argument
  list(id = "orth_offset_term", data = "Orthodont", formula = "distance ~ age + Sex + offset(0.5 * age) + (1 | Subject)", held = c(5L, 60L)),
  list(id = "cbpp_offset_log", data = "cbpp", formula = "incidence ~ period + offset(log(size)) + (1 | herd)", held = c(6L, 40L)),
  list(id = "sleep_offset_option", data = "sleepstudy", formula = "Reaction ~ Days + (Days | Subject)", offset = "off", held = c(33L, 140L)),
  # prior weights (cbpp: proportions weighted by herd size), zero weights
  list(id = "sleep_weights", data = "sleepstudy", formula = "Reaction ~ Days + (Days | Subject)", weights = "w", held = c(14L, 66L), type3 = TRUE, profile = TRUE),
  list(id = "cbpp_weights", data = "cbpp", formula = "I(incidence/size) ~ period + (1 | herd)", weights = "size", type3 = TRUE),
  list(id = "inst_weights_crossed", data = "InstEval120", formula = "y ~ service + lectage + (1 | s) + (1 | d)", weights = "w", held = c(10L, 2000L)),
  list(id = "penicillin_weights_crossed", data = "Penicillin", formula = "diameter ~ 1 + (1 | plate) + (1 | sample)", weights = "w", held = c(3L, 100L)),
  list(id = "sleep_zero_weights", data = "sleepstudy", formula = "Reaction ~ poly(Days, 2) + (1 | Subject)", weights = "w0", positive_only = TRUE,
       notes = "lme4 cannot fit zero weights (its criterion is infinite); these are its fits of the rows with weight > 0, the rows the toolkit keeps"),
  list(id = "sleep_weights_offset", data = "sleepstudy", formula = "Reaction ~ Days + offset(Days) + (1 | Subject) + (0 + Days | Subject)", weights = "w", offset = "off", held = c(25L, 177L), profile = TRUE),
  # contrasts and ordered factors (lmerTest's type III for each)
  list(id = "cake_ordered", data = "cake", formula = "angle ~ recipe * temperature + (1 | recipe:replicate)", held = c(8L, 260L), type3 = TRUE),
  list(id = "cake_helmert", data = "cake", formula = "angle ~ recipe + temperature + (1 | replicate)", contrasts = list(recipe = "helmert", temperature = "treatment"), type3 = TRUE),
  list(id = "ox_occasion_poly", data = "Oxboys", formula = "height ~ Occasion + (1 | Subject)", type3 = TRUE),
  list(id = "chick_sum", data = "ChickWeight", formula = "weight ~ Time * Diet + (Time | Chick)", contrasts = list(Diet = "sum"), held = c(45L, 500L), type3 = TRUE),
  list(id = "orth_sum_sex", data = "Orthodont", formula = "distance ~ age * Sex + (1 | Subject)", contrasts = list(Sex = "sum"), type3 = TRUE),
  list(id = "inst_ordered_sum", data = "InstEval120", formula = "y ~ studage + lectage + service + (1 | s) + (1 | d)", contrasts = list(service = "sum"), type3 = TRUE),
  list(id = "cake_poly_contrast", data = "cake", formula = "angle ~ recipe + temperature + (1 | replicate)", contrasts = list(recipe = "poly"), type3 = TRUE),
  # formula algebra
  list(id = "chick_power2", data = "ChickWeight", formula = "sqrt(weight) ~ (Time + Diet + I(Time^2))^2 + (1 | Chick)"),
  list(id = "chick_in", data = "ChickWeight", formula = "weight ~ Diet + Time %in% Diet + (1 | Chick)"),
  list(id = "orth_minus", data = "Orthodont", formula = "distance ~ age * Sex - age:Sex + (1 | Subject)"),
  list(id = "orth_no_intercept", data = "Orthodont", formula = "distance ~ 0 + Sex + age + (0 + age | Subject)"),
  list(id = "sleep_minus_one", data = "sleepstudy", formula = "Reaction ~ Days - 1 + (1 | Subject)"),
  list(id = "sleep_nested3", data = "sleepstudy", formula = "Reaction ~ Days + (1 | Subject/half/pair)"),
  list(id = "cake_factor", data = "cake", formula = "angle ~ factor(temp) + recipe + (1 | replicate)")
)
for (spec in cases) run_case(spec)
write_json_file(list(schema_version = "formula-1.0", software = software_info(), cases = index), "index.json")
cat("done\n")
