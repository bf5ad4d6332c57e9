#!/usr/bin/env bash
# Shrinks the full outputs of run.sh to what the repository keeps (run after run.sh; idempotent):
#   results/gemma/kin.cXX.txt.gz   -> kin.cXX.sha256 (SHA-256 of GEMMA's uncompressed text, 13.6 MB)
#                                     + kin.cXX.head.txt.gz (its first 20 rows, for readable diffs)
#   results/gemma/lmm.assoc.txt    -> lmm.assoc.txt.gz
#   results/plink2/*.glm.linear    -> *.glm.linear.gz
#   data/geno.dosage.csv.gz        -> the first 1000 SNP columns of every individual (the reader test's subsample)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"
G=results/gemma
if [ -f $G/kin.cXX.txt.gz ]; then
  zcat $G/kin.cXX.txt.gz | sha256sum | cut -d' ' -f1 > $G/kin.cXX.sha256
  { zcat $G/kin.cXX.txt.gz || true; } | head -n 20 | gzip -n -9 > $G/kin.cXX.head.txt.gz
  rm $G/kin.cXX.txt.gz
fi
if [ -f $G/lmm.assoc.txt ]; then gzip -n -9 -f $G/lmm.assoc.txt; fi
for f in results/plink2/*.glm.linear; do if [ -f "$f" ]; then gzip -n -9 -f "$f"; fi; done
if [ "$({ zcat data/geno.dosage.csv.gz || true; } | head -1 | tr ',' '\n' | wc -l)" -gt 1001 ]; then
  zcat data/geno.dosage.csv.gz | cut -d, -f1-1001 | gzip -n -9 > data/geno.dosage.csv.gz.tmp
  mv data/geno.dosage.csv.gz.tmp data/geno.dosage.csv.gz
fi
