#!/usr/bin/env bash
# Throughput at scale: ukraine2022 (23.6 M people) at hasten 24, 2 and 1
# (≈1 M, 12 M and 24 M agents), full 554 days, on 1 and 2 threads.
# Reports whole-process wall seconds, agent-days per second, the speed-up
# over the first thread count and peak RSS for each.
#
# Usage: bench/scale.sh [--against REV] [--pairs N] [hasten ...]   (default hasten: 24 2 1)
#   --against REV  also builds git revision REV (in a copy under target/, its
#                  own build cache) and runs it beside today's binary, run for
#                  run, alternating, so both meet the same load; the table then
#                  gives both builds' figures side by side, today's time as a
#                  share of REV's, and whether the two out.csv files are equal.
#                  8038ff1 is the build of when the scaling issue was filed.
#   --pairs N      runs each case N times (median shown; default 1).
# Environment: THREADS="1 2 4" sets the thread counts (default "1 2");
# BLOCK=512 sets capacity_count_block (capacity counts per block of movers,
# a different model from Flee's live counts; default 1 = Flee's).
# The passes executed as before (one by one) side by side with the parallel
# ones, engine only: cargo run --release -p corridor-engine --example passes -- ukraine2022 10
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "scale.sh: $*" >&2; exit 1; }

against="" pairs=1 hastens=()
while [ $# -gt 0 ]; do
  case "$1" in
    --against) [ $# -ge 2 ] || die "--against needs a git revision"; against=$2; shift 2 ;;
    --pairs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--pairs needs a whole number ≥ 1"; pairs=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [[ $1 =~ ^[1-9][0-9]*$ ]] || die "hasten must be a whole number ≥ 1, not '$1'"; hastens+=("$1"); shift ;;
  esac
done
[ ${#hastens[@]} -gt 0 ] || hastens=(24 2 1)
read -r -a threads <<< "${THREADS:-1 2}"
/usr/bin/time -v true >/dev/null 2>&1 || die "GNU time is needed for peak memory: apt-get install time"

shared=data/flee
out=bench/results/scale-$(date +%Y%m%d_%H%M%S)
mkdir -p "$out"
# Each build's binary is copied out, so a later build cannot change what is timed.
cargo build --release -p corridor --no-default-features >/dev/null
cp target/release/corridor "$out/corridor-now"
builds=(now)
if [ -n "$against" ]; then
  rev=$(git rev-parse --short "$against^{commit}") || die "no such revision: $against"
  src=target/bench-src-$rev
  if [ ! -d "$src" ]; then
    mkdir -p "$src.tmp" && git archive "$rev" | tar -x -C "$src.tmp" && mv "$src.tmp" "$src"
  fi
  echo "building $rev (first time: a few minutes)" >&2
  CARGO_TARGET_DIR="$PWD/target/bench-build-$rev" \
    cargo build --release --manifest-path "$src/Cargo.toml" -p corridor --no-default-features >/dev/null
  cp "target/bench-build-$rev/release/corridor" "$out/corridor-$rev"
  builds=("$rev" now)
fi

for h in "${hastens[@]}"; do
  sed "s/^  hasten: .*/  hasten: $h/" "$shared/validation-simsetting.yml" > "$out/h$h.yml"
  printf 'corridor:\n  capacity_count_block: %s\n' "${BLOCK:-1}" >> "$out/h$h.yml"
  for t in "${threads[@]}"; do
    for p in $(seq "$pairs"); do
      for b in "${builds[@]}"; do
        d="$out/h${h}_t${t}_${b}_$p"
        t0=$EPOCHREALTIME
        /usr/bin/time -v -o "$d.time" "$out/corridor-$b" run "$shared/scenarios/ukraine2022" \
          --settings "$out/h$h.yml" --threads "$t" -q -o "$d" 2> "$d.err" \
          || { echo "run failed (build $b, hasten $h, $t threads)"; cat "$d.err"; exit 1; }
        t1=$EPOCHREALTIME
        echo "$t0 $t1" > "$d.wall"
      done
    done
  done
done

python3 - "$out" "$pairs" "${#builds[@]}" "${builds[@]}" "${hastens[@]}" -- "${threads[@]}" <<'PY' | tee "$out/table.md"
import json, re, statistics, sys
out, pairs, nb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
builds = sys.argv[4:4 + nb]
rest = sys.argv[4 + nb:]
hastens, threads = rest[:rest.index("--")], rest[rest.index("--") + 1:]

def case(h, t, b):
    """Median wall seconds and peak MB over the pairs, and the summary of the first."""
    walls, rss = [], []
    for p in range(1, pairs + 1):
        d = f"{out}/h{h}_t{t}_{b}_{p}"
        t0, t1 = map(float, open(f"{d}.wall").read().split())
        walls.append(t1 - t0)
        rss.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{d}.time").read()).group(1)) / 1024)
    return statistics.median(walls), max(rss), json.load(open(f"{out}/h{h}_t{t}_{b}_1/summary.json"))

head = ["hasten", "agents", "threads"]
for b in builds:
    name = "today" if b == "now" else b
    head += [f"{name} s", f"{name} agent-days/s", f"{name} speed-up", f"{name} peak MB"]
if nb == 2:
    head += ["today / " + builds[0], "same out.csv"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for h in hastens:
    first = {b: case(h, threads[0], b)[0] for b in builds}
    for t in threads:
        row, walls = [], {}
        for b in builds:
            wall, rss, s = case(h, t, b)
            walls[b] = wall
            if not row:
                row = [h, f"{s['agents']:,}", t]
            row += [f"{wall:.2f}", f"{s['agent_days'] / wall / 1e6:.1f} M", f"{first[b] / wall:.2f}×", f"{rss:.0f}"]
        if nb == 2:
            same = all(open(f"{out}/h{h}_t{t}_{builds[0]}_{p}/out.csv", "rb").read()
                       == open(f"{out}/h{h}_t{t}_now_{p}/out.csv", "rb").read() for p in range(1, pairs + 1))
            row += [f"{walls['now'] / walls[builds[0]]:.3f}", "yes" if same else "no"]
        print("| " + " | ".join(map(str, row)) + " |")
print(f"\nwhole-process seconds (median of {pairs}); agent-days/s = agent-days / those seconds; "
      "speed-up over the first thread count of the same build")
PY
echo "table in $out/table.md"
