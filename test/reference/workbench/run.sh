#!/bin/sh
# Regenerates lme4.json: writes the workbench test's table and fits it with lme4/lmerTest.
# Needs R with lme4, lmerTest, pbkrtest and jsonlite (a development machine; CI reads the JSON).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && node --conditions=source --import tsx "$here/write-table.ts") > "$tmp/table.csv"
Rscript "$here/fit.R" "$tmp/table.csv" "$here/lme4.json"
echo "wrote $here/lme4.json"
