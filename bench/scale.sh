#!/usr/bin/env bash
# Throughput at scale: ukraine2022 (23.6 M people) at hasten 24, 2 and 1
# (≈1 M, 12 M and 24 M agents), full 554 days, on 1 and 2 threads.
# Reports wall seconds, agent-days per second, the speed-up over 1 thread and
# peak RSS for each. THREADS="1 2 4" sets the thread counts (default 1 2);
# BLOCK=512 sets capacity_count_block (capacity counts per block of movers,
# a different model from Flee's live counts; default 1 = Flee's).
# Usage: bench/scale.sh [hasten ...]   (default: 24 2 1)
# The passes executed as before (one by one) side by side with the parallel
# ones, engine only: cargo run --release -p corridor-engine --example passes -- ukraine2022 10
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p corridor >/dev/null
shared=data/flee
hastens=("${@:-24 2 1}")
[ $# -eq 0 ] && hastens=(24 2 1)
out=bench/results/scale-$(date +%Y%m%d_%H%M%S)
mkdir -p "$out"
read -r -a threads <<< "${THREADS:-1 2}"
printf '| hasten | agents | threads | wall s | agent-days | agent-days/s | speed-up | peak RSS MB |\n|---|---|---|---|---|---|---|---|\n' | tee "$out/table.md"
for h in "${hastens[@]}"; do
  sed "s/^  hasten: .*/  hasten: $h/" "$shared/validation-simsetting.yml" > "$out/h$h.yml"
  printf 'corridor:\n  capacity_count_block: %s\n' "${BLOCK:-1}" >> "$out/h$h.yml"
  for t in "${threads[@]}"; do
    d="$out/h${h}_t$t"
    /usr/bin/time -v target/release/corridor run "$shared/scenarios/ukraine2022" --settings "$out/h$h.yml" \
      --threads "$t" -q -o "$d" 2> "$d.time" || { echo "run failed (h=$h t=$t)"; cat "$d.time"; exit 1; }
    python3 - "$d" "$h" "$t" "$out/h${h}_t${threads[0]}" <<'PY' | tee -a "$out/table.md"
import json, re, sys
d, h, t, first = sys.argv[1:]
s = json.load(open(f"{d}/summary.json"))
s1 = json.load(open(f"{first}/summary.json"))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{d}.time").read()).group(1))
print(f"| {h} | {s['agents']:,} | {t} | {s['wall_seconds']:.1f} | {s['agent_days']:,} | {s['agent_days_per_second']/1e6:.1f} M | {s1['wall_seconds']/s['wall_seconds']:.2f}× | {rss/1024:.0f} |")
PY
  done
done
echo "table in $out/table.md"
