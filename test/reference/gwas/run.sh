#!/usr/bin/env bash
# Regenerate the data and every reference result in this folder.
# Needs: Rscript (jsonlite, data.table), gemma 0.98.5, plink2 2.00a3.5, bc (Debian bookworm packages).
# Tools run in a scratch folder with relative paths; absolute paths are stripped from the copied logs.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
Rscript generate.R

W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
mkdir -p results/gemma results/plink2
T="$HERE/results/timings.tsv"
echo -e "step\trun\tseconds" > "$T"
timed() {  # timed NAME CMD... : run 3 times, append wall-clock seconds
  local name=$1; shift
  for r in 1 2 3; do
    local t0 t1; t0=$(date +%s.%N); "$@" > "$name.stdout" 2>&1; t1=$(date +%s.%N)
    echo -e "$name\t$r\t$(echo "$t1 - $t0" | bc)" >> "$T"
  done
}
cplog() { sed -e "s#$W/##g" -e "s#$W#.#g" -e "s#$HERE/##g" -e "s#$HERE#.#g" "$1" > "$2"; }

cd "$W"; ln -s "$HERE/data" data
# ---- GEMMA: centred GRM (-gk 1), then LMM with Wald, LRT and score tests (-lmm 4), intercept + sex ----
timed gemma_kinship gemma -bfile data/geno -gk 1 -o kin
timed gemma_lmm4 gemma -bfile data/geno -k output/kin.cXX.txt -lmm 4 -c data/gemma_covar.txt -o lmm
cp output/lmm.assoc.txt "$HERE/results/gemma/lmm.assoc.txt"
cplog output/lmm.log.txt "$HERE/results/gemma/lmm.log.txt"
cplog output/kin.log.txt "$HERE/results/gemma/kin.log.txt"
KEEP_KIN=$(cd "$HERE" && Rscript -e 'cat(isTRUE(jsonlite::fromJSON("config.json")$keep_kinship))')
if [ "$KEEP_KIN" = "TRUE" ]; then gzip -c -n output/kin.cXX.txt > "$HERE/results/gemma/kin.cXX.txt.gz"; fi

# ---- plink2: PCA (10 PCs), then linear regression y ~ SNP + sex (naive) and y ~ SNP + sex + PC1..PC10 ----
timed plink2_pca10 plink2 --bfile data/geno --pca 10 --out pca
awk 'BEGIN{OFS="\t"} NR==FNR{if(FNR>1) sex[$1]=$3; next} FNR==1{printf "#FID\tIID\tsex"; for(i=3;i<=NF;i++) printf "\t%s",$i; print ""; next} {printf "%s\t%s\t%s",$1,$2,sex[$2]; for(i=3;i<=NF;i++) printf "\t%s",$i; print ""}' \
  FS=, data/pheno.csv FS='\t' pca.eigenvec > covar_sex_pc10.txt
timed plink2_glm_naive plink2 --bfile data/geno --pheno data/plink_pheno.txt --pheno-name y \
  --covar covar_sex_pc10.txt --covar-name sex --glm hide-covar omit-ref --out naive
timed plink2_glm_pc10 plink2 --bfile data/geno --pheno data/plink_pheno.txt --pheno-name y \
  --covar covar_sex_pc10.txt --covar-name sex,PC1-PC10 --glm hide-covar omit-ref --out pc10
P="$HERE/results/plink2"
cp pca.eigenvec pca.eigenval covar_sex_pc10.txt naive.y.glm.linear pc10.y.glm.linear "$P/"
for f in pca naive pc10; do cplog "$f.log" "$P/$f.log"; done

# ---- check: the dosage CSV equals the .bed as decoded by plink2 (--export A counts the REF = A2 allele) ----
plink2 --bfile data/geno --export A --out dosage_check > /dev/null

# ---- summary: lambda_GC, causal hits, R re-check of the null model, timings ----
cd "$HERE"
Rscript summarize.R "$W/output/kin.cXX.txt" "$W/dosage_check.raw"
bash "$HERE/pack.sh"
