#!/usr/bin/env bash
# Memory and time of one ukraine2022 run divided over MPI ranks (`corridor mpi-run`)
# against the single-process run (`corridor run`, 1 thread), all 554 days, and a
# byte comparison of their out.csv. Needs Open MPI (Debian: libopenmpi-dev
# openmpi-bin clang libclang-dev) and data/flee beside the repository.
# Usage: bench/mpi_memory.sh [RANKS=2] [hasten ...]   (default hastens: 10 1)
set -euo pipefail
cd "$(dirname "$0")/.."
ranks=${1:-2}
shift || true
hastens=("$@")
[ ${#hastens[@]} -eq 0 ] && hastens=(10 1)
cargo build --release -p corridor --features mpi >/dev/null
bin=target/release/corridor
shared=data/flee
out=bench/results/mpi-$(date +%Y%m%d_%H%M%S)
mkdir -p "$out"
rss() { grep -h "Maximum resident set size" "$@" | awk '{printf "%s%.0f", sep, $NF/1024; sep=" / "}'; }
wall() { grep -h "Elapsed (wall clock)" "$1" | head -1 | awk '{print $NF}'; }
printf '| hasten | agents | run, 1 thread | run peak MB | mpi-run, %s ranks | per-rank peak MB | out.csv |\n|---|---|---|---|---|---|---|\n' "$ranks" | tee "$out/table.md"
for h in "${hastens[@]}"; do
  sed "s/^  hasten: .*/  hasten: $h/" "$shared/validation-simsetting.yml" > "$out/h$h.yml"
  /usr/bin/time -v "$bin" run "$shared/scenarios/ukraine2022" --settings "$out/h$h.yml" \
    --threads 1 -q -o "$out/run_h$h" 2> "$out/run_h$h.time"
  mpirun --allow-run-as-root --oversubscribe -np "$ranks" \
    bash -c "/usr/bin/time -v -o $out/mpi_h$h.\$OMPI_COMM_WORLD_RANK.time $bin mpi-run $shared/scenarios/ukraine2022 --settings $out/h$h.yml --threads 1 -q -o $out/mpi_h$h"
  same=$(cmp -s "$out/run_h$h/out.csv" "$out/mpi_h$h/out.csv" && echo identical || echo DIFFERENT)
  agents=$(python3 -c "import json;print(f\"{json.load(open('$out/run_h$h/summary.json'))['agents']:,}\")")
  echo "| $h | $agents | $(wall "$out/run_h$h.time") | $(rss "$out/run_h$h.time") | $(wall "$out/mpi_h$h.0.time") | $(rss "$out"/mpi_h$h.*.time) | $same |" | tee -a "$out/table.md"
  [ "$same" = identical ] || exit 1
done
echo "table in $out/table.md"
