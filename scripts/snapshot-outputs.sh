#!/usr/bin/env bash
# Writes every output file of a fixed set of corridor commands into DIR, so that two builds
# can be compared byte for byte (scripts/same-outputs.sh). Fields that measure the machine
# (wall time, throughput, thread count) are blanked in JSON files; everything else must match.
#   scripts/snapshot-outputs.sh BIN DIR
set -euo pipefail
bin=$(realpath "$1"); dir=$2
cd "$(dirname "$0")/.."
flee=data/flee
fal=scenarios/fallujah-2016
rm -rf "$dir"; mkdir -p "$dir"
r() { "$bin" "$@" -q >/dev/null 2>>"$dir/stderr.txt" || echo "FAILED: $*" >>"$dir/stderr.txt"; }
for s in mali2012 burundi2015 car2013 nigeria2022_adm2 ssudan2013; do
  r run "$flee/scenarios/$s" --settings "$flee/reference/val_h10.yml" --seed 3 -o "$dir/run-$s"
done
r run "$flee/scenarios/ukraine2022" --settings "$flee/reference/val_h100.yml" --days 120 -o "$dir/run-ukraine"
r run "$flee/scenarios/mali2012" --hasten 100 --threads 1 --seed 7 -o "$dir/run-mali-default"
r run $fal -o "$dir/run-fallujah"
r run $fal --seed 5 --threads 1 -o "$dir/run-fallujah-s5"
r run $fal/variants/army-boats.yml -o "$dir/run-army-boats"
r ensemble "$flee/scenarios/mali2012" --settings "$flee/reference/val_h100.yml" -n 4 -o "$dir/ens-mali"
r ensemble $fal -n 3 -o "$dir/ens-fallujah"
r ensemble "$flee/scenarios/mali2012" --settings "$flee/reference/val_h100.yml" -n 4 \
  --params scenarios/spaces/flee-default.yml -o "$dir/ensp-mali"
r ensemble $fal -n 3 --params $fal/space.yml -o "$dir/ensp-fallujah"
r compare $fal $fal/variants/early-corridor.yml -n 3 -o "$dir/compare"
"$bin" validate "$dir/run-mali2012" --csv "$dir/validate.csv" --json "$dir/validate.json" >"$dir/validate.txt" 2>&1 || true
"$bin" validate "$dir/run-fallujah" --json "$dir/validate-fallujah.json" >"$dir/validate-fallujah.txt" 2>&1 || true
r report "$flee/scenarios/mali2012" --settings "$flee/reference/val_h100.yml" -n 3 --csv -o "$dir/report-mali.html"
r report $fal -n 3 -o "$dir/report-fallujah.html"
r calibrate "$flee/scenarios/mali2012" --settings "$flee/reference/val_h100.yml" \
  --space scenarios/spaces/flee-default.yml -n 2 --eval-seeds 2 --budget 12 -o "$dir/calibrate-mali"
r calibrate $fal --space $fal/space.yml -n 2 --eval-seeds 2 --budget 10 -o "$dir/calibrate-fallujah"
r sensitivity "$flee/scenarios/mali2012" --hasten 100 --space scenarios/spaces/flee-default.yml \
  --trajectories 3 -n 2 -o "$dir/sensitivity-mali"
"$bin" export-geojson $fal -o "$dir/fallujah.geojson" 2>>"$dir/stderr.txt" || echo "FAILED: geojson" >>"$dir/stderr.txt"
# Blank machine-dependent figures so that the files compare byte for byte.
find "$dir" -name '*.json' -print0 | xargs -0 -r sed -i -E \
  's/"(wall_seconds|seconds|elapsed_s|elapsed_seconds|agent_days_per_second|threads|load_seconds|run_seconds|write_seconds|wall_s)": *[0-9.eE+-]+/"\1": 0/g'
# Reports embed the summary JSON too; drop the lines that carry timing.
find "$dir" -name '*.html' -print0 | xargs -0 -r sed -i -E 's/(wall_seconds|agent_days_per_second|elapsed)[^,}]*//g'
# Paths name the snapshot folder and the data folder; make them relative.
abs=$(realpath "$dir")
grep -rlI -e "$abs" -e "$flee" -e "$PWD" "$dir" | xargs -r sed -i -e "s#$abs#SNAP#g" -e "s#$PWD/##g" -e "s#$flee/##g"
echo "snapshot in $dir: $(find "$dir" -type f | wc -l) files"
