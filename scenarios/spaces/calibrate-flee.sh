#!/usr/bin/env bash
# Calibrates the Flee validation scenarios with scenarios/spaces/flee-default.yml:
# fit on the first 70 % of each run, error reported on the other 30 %, next to
# Flee's own runs (data/flee/reference/) scored on the same days.
# Usage: scenarios/spaces/calibrate-flee.sh [HASTEN=10] [OUT=out/calibrate]
# Then ukraine2022 at hasten 100 (about 6 minutes on 2 cores), and a table of
# the held-out errors.
# Runs from the repository root.
set -euo pipefail
H=${1:-10}
OUT=${2:-out/calibrate}
BIN=${CORRIDOR:-target/release/corridor}
REF=data/flee/reference
mkdir -p "$OUT/h$H"
for s in burundi2015 car2013 mali2012 nigeria2022_adm2 ssudan2013; do
  "$BIN" calibrate data/flee/scenarios/$s --settings $REF/val_h$H.yml \
    --space scenarios/spaces/flee-default.yml --fit-fraction 0.7 -n 4 --eval-seeds 8 --budget 240 \
    --reference $REF/rep_h${H}_${s}_*.csv -o "$OUT/h$H/$s" | tee "$OUT/h$H/$s.txt"
done
# ukraine2022: Flee's reference is one run at hasten 100 with 542 of the 554 days.
mkdir -p "$OUT/h100"
"$BIN" calibrate data/flee/scenarios/ukraine2022 --settings $REF/val_h100.yml --days 542 \
  --space scenarios/spaces/flee-default.yml --fit-fraction 0.7 -n 4 --eval-seeds 8 --budget 60 \
  --reference $REF/rep_h100_ukraine2022_0.csv -o "$OUT/h100/ukraine2022" | tee "$OUT/h100/ukraine2022.txt"

# Summary: held-out error (mean ± sd) per scenario, as in README § Calibration.
echo
echo "| scenario | Flee | corridor, same settings | corridor fitted |"
echo "|---|---|---|---|"
for f in "$OUT"/h"$H"/*.txt "$OUT"/h100/ukraine2022.txt; do
  [ -f "$f" ] || continue
  awk -v s="$(basename "$f" .txt)" '
    /^default / { d = $5 " " $6 " " $7 }
    /^fitted /  { x = $5 " " $6 " " $7 }
    /^reference/ { r = (NF >= 8) ? $6 " " $7 " " $8 : $4 " (1 run)" }
    END { print "| " s " | " r " | " d " | " x " |" }' "$f"
done
