# fit.R TABLE.csv OUT.json -- lme4's (and lmerTest's) fit of the workbench test's table, with the
# SHA-256 of the CSV text it read, so the test knows the reference belongs to the table it wrote.
suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
csv <- args[1]
out <- args[2]
d <- read.csv(csv, na.strings = c("NA", ""), stringsAsFactors = TRUE)
formula <- feature ~ grade + time + (1 | site) + (1 + time | site:patient)
fits <- list()
for (reml in c(TRUE, FALSE)) {
  m <- lmerTest::lmer(formula, data = d, REML = reml,
                      control = lmerControl(optimizer = "bobyqa"))
  s <- summary(m, ddf = "Satterthwaite")
  co <- coef(s)
  # Kenward-Roger exists for REML fits only (pbkrtest).
  kr <- if (reml) coef(summary(m, ddf = "Kenward-Roger")) else NULL
  vc <- as.data.frame(VarCorr(m))
  re <- ranef(m, condVar = TRUE)
  site <- re$site
  site_sd <- sqrt(attr(site, "postVar")[1, 1, ])
  fits[[if (reml) "REML" else "ML"]] <- list(
    reml = reml,
    objective = if (reml) unname(lme4::REMLcrit(m)) else unname(deviance(m, REML = FALSE)),
    logLik = as.numeric(logLik(m)),
    sigma = sigma(m),
    theta = unname(getME(m, "theta")),
    nobs = nobs(m),
    ngroups = as.list(getME(m, "l_i")),
    fixef = lapply(seq_len(nrow(co)), function(i) list(
      term = rownames(co)[i], estimate = co[i, "Estimate"], std_error = co[i, "Std. Error"],
      df = co[i, "df"], t = co[i, "t value"], p = co[i, "Pr(>|t|)"], df_kr = if (is.null(kr)) NULL else kr[i, "df"])),
    varcorr = lapply(seq_len(nrow(vc)), function(i) list(
      grp = vc$grp[i], var1 = if (is.na(vc$var1[i])) NULL else vc$var1[i],
      var2 = if (is.na(vc$var2[i])) NULL else vc$var2[i], vcov = vc$vcov[i], sdcor = vc$sdcor[i])),
    site_modes = list(level = rownames(site), intercept = unname(site[, 1]), cond_sd = unname(site_sd))
  )
}
sha <- system2("sha256sum", csv, stdout = TRUE)
result <- list(
  software = list(R = R.version.string, lme4 = as.character(packageVersion("lme4")), lmerTest = as.character(packageVersion("lmerTest"))),
  formula = deparse(formula, width.cutoff = 500L),
  table_sha256 = strsplit(sha, " ")[[1]][1],
  rows = nrow(d),
  fits = fits
)
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE), out)
