#!/usr/bin/env bash
# Benchmark corridor against the original Flee (Python, PyPI package `flee`).
#
# Usage: bench/vs_flee.sh [options] [CASE ...]
#   CASE            SCENARIO:HASTEN, e.g. mali2012:10 (default: all cases below)
#   --quick         only mali2012:10
#   --flee-timeout S  kill Flee after S seconds; its time and the speed ratio are
#                   then reported as lower bounds (default: no limit)
#   --flee-only     time only Flee (no cargo build, no corridor run)
#   --corridor-only time only corridor (no Flee venv, no Flee run)
#   --no-build      do not run `cargo build --release -p corridor`
#   -h, --help      this text
#
# Default cases: mali2012:1 mali2012:10 ssudan2013:1 ssudan2013:10 ukraine2022:100
# Environment: FLEE_SHARED (default data/flee) holds scenarios/, reference/
# and validation-simsetting.yml; PYTHON (default python3) creates the venv.
# See bench/README.md.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
FLEE_SHARED="${FLEE_SHARED:-data/flee}"
PYTHON="${PYTHON:-python3}"
VENV="$BENCH/.venv"
VPY="$VENV/bin/python"
CORRIDOR="$ROOT/target/release/corridor"
DEFAULT_CASES=(mali2012:1 mali2012:10 ssudan2013:1 ssudan2013:10 ukraine2022:100)

die() { echo "vs_flee.sh: error: $*" >&2; exit 1; }
log() { echo "[vs_flee $(date +%H:%M:%S)] $*" >&2; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

# ---------------------------------------------------------------- arguments
FLEE_TIMEOUT=0
RUN_FLEE=1
RUN_CORRIDOR=1
BUILD=1
CASES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) CASES=(mali2012:10) ;;
    --flee-timeout) [ $# -ge 2 ] || die "--flee-timeout needs SECONDS"; FLEE_TIMEOUT="$2"; shift ;;
    --flee-timeout=*) FLEE_TIMEOUT="${1#*=}" ;;
    --flee-only) RUN_CORRIDOR=0; BUILD=0 ;;
    --corridor-only) RUN_FLEE=0 ;;
    --no-build) BUILD=0 ;;
    -h|--help) usage; exit 0 ;;
    all) CASES=("${DEFAULT_CASES[@]}") ;;
    *:*) CASES+=("$1") ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
[ ${#CASES[@]} -gt 0 ] || CASES=("${DEFAULT_CASES[@]}")
[[ "$FLEE_TIMEOUT" =~ ^[0-9]+$ ]] || die "--flee-timeout must be a whole number of seconds"
[ "$RUN_FLEE" = 1 ] || [ "$RUN_CORRIDOR" = 1 ] || die "--flee-only and --corridor-only exclude each other"

for c in "${CASES[@]}"; do
  scen="${c%%:*}"; h="${c##*:}"
  [[ "$h" =~ ^[1-9][0-9]*$ ]] || die "bad hasten in case '$c'"
  [ -d "$FLEE_SHARED/scenarios/$scen/input_csv" ] || die "no scenario $FLEE_SHARED/scenarios/$scen/input_csv"
done

# ---------------------------------------------------------------- tools
if ! /usr/bin/time -v true >/dev/null 2>&1; then
  log "installing GNU time (Debian package 'time')"
  if command -v apt-get >/dev/null; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time >/dev/null
  fi
  /usr/bin/time -v true >/dev/null 2>&1 || die "/usr/bin/time (GNU time) is needed: apt-get install time"
fi

# Python for the helper scripts (parsing, comparison): the venv if we have one.
HPY="$PYTHON"

if [ "$RUN_FLEE" = 1 ]; then
  if ! [ -x "$VPY" ] || ! "$VPY" -c 'import flee.flee, flee.spawning' >/dev/null 2>&1; then
    log "creating $VENV and installing Flee (bench/requirements-flee.txt)"
    "$PYTHON" -m venv "$VENV"
    "$VPY" -m pip install -q --upgrade pip >/dev/null
    "$VPY" -m pip install -q -r "$BENCH/requirements-flee.txt"
  fi
  FLEE_VERSION="$("$VPY" -c 'import importlib.metadata as m; print(m.version("flee"))')"
  HPY="$VPY"
fi

if [ "$RUN_CORRIDOR" = 1 ]; then
  if [ "$BUILD" = 1 ]; then
    log "cargo build --release -p corridor"
    (cd "$ROOT" && cargo build --release -p corridor) || die "cargo build --release -p corridor failed"
  fi
  [ -x "$CORRIDOR" ] || die "corridor binary not found at $CORRIDOR (build it with: cargo build --release -p corridor)"
  help_out="$("$CORRIDOR" run --help 2>&1 || true)"
  if ! grep -q -- '--settings' <<<"$help_out" || ! grep -q -- '--threads' <<<"$help_out"; then
    die "$CORRIDOR does not support 'run <scenario-dir> --settings <yml> --seed N --threads N -o <dir>' yet.
'corridor run --help' printed:
${help_out:-<nothing>}
(use --flee-only to time Flee alone)"
  fi
  CORRIDOR_REV="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ -n "$(cd "$ROOT" && git status --porcelain -- crates Cargo.toml Cargo.lock 2>/dev/null | head -1)" ]; then
    CORRIDOR_REV="$CORRIDOR_REV+dirty"
  fi
fi

# ---------------------------------------------------------------- helpers
# Settings file for hasten N: the reference val_hN.yml, else a generated copy
# of validation-simsetting.yml with only `hasten` changed.
settings_for() {
  local h="$1" out="$2"
  if [ -f "$FLEE_SHARED/reference/val_h$h.yml" ]; then
    echo "$FLEE_SHARED/reference/val_h$h.yml"
  else
    sed -E "s/^([[:space:]]*hasten:[[:space:]]*)[0-9]+/\1$h/" "$FLEE_SHARED/validation-simsetting.yml" >"$out"
    grep -Eq "^[[:space:]]*hasten:[[:space:]]*$h\b" "$out" || die "could not set hasten $h in $out"
    echo "$out"
  fi
}

# time_fields FILE -> "seconds peak_kB exit_status" from a `/usr/bin/time -v` report.
time_fields() {
  awk -F': ' '
    /Elapsed \(wall clock\) time/ { n = split($NF, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
    /Maximum resident set size/ { kb = $NF }
    /Exit status/ { rc = $NF }
    END { printf "%.2f %d %d\n", s, kb, rc }' "$1"
}

# deterministic-column check against the reference replicate, if there is one
det_check() {
  local out="$1" scen="$2" h="$3" ref
  ref="$(ls "$FLEE_SHARED"/reference/rep_h"${h}"_"${scen}"_*.csv 2>/dev/null | head -1 || true)"
  if [ -z "$ref" ]; then echo "no ref"; return; fi
  if [ ! -s "$out" ]; then echo "no output"; return; fi
  local res
  res="$("$HPY" "$BENCH/compare_det.py" "$out" "$ref" 2>&1 || true)"
  echo "$res" >"${out%.csv}.det.txt"
  if grep -q "MATCH (first" <<<"$res"; then echo "match (partial)"
  elif grep -q "MATCH" <<<"$res"; then echo "match"
  else echo "DIFFER"; fi
}

# wall seconds between two $EPOCHREALTIME stamps (finer than time -v's 0.01 s)
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'; }
fmt() { awk -v x="$1" -v d="${2:-1}" 'BEGIN { printf "%.*f", d, x }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# ---------------------------------------------------------------- run
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
STAMP="$(date +%Y-%m-%d_%H%M%S)"
RESULTS="$BENCH/results"
WORK="$RESULTS/vs_flee-$STAMP"
mkdir -p "$WORK"
MD="$RESULTS/vs_flee-$(date +%Y-%m-%d).md"
[ -e "$MD" ] && MD="$RESULTS/vs_flee-$STAMP.md"

# single-threaded: keep numpy/BLAS and rayon from starting thread pools
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMEXPR_NUM_THREADS=1 RAYON_NUM_THREADS=1
# Flee 3.1 leaves total(0) out of the day-0 `raw UNHCR refugee count`; newer Flee
# (the reference outputs) counts it. Output-only; see README.md.
export FLEE_RUN_RAW_DAY0_TOTAL=1

ROWS=()
for c in "${CASES[@]}"; do
  scen="${c%%:*}"; h="${c##*:}"
  sdir="$FLEE_SHARED/scenarios/$scen"
  cdir="$WORK/${scen}_h$h"
  mkdir -p "$cdir"
  yml="$(settings_for "$h" "$cdir/simsetting_h$h.yml")"
  days="$(awk -F, 'tolower($1) == "length" { print $2 + 0 }' "$sdir/input_csv/sim_period.csv")"

  c_s="-"; c_mb="-"; ad="-"; adps="-"; c_det="-"; c_wall=""
  if [ "$RUN_CORRIDOR" = 1 ]; then
    log "$scen h$h: corridor"
    mkdir -p "$cdir/corridor"
    set +e
    t0=$EPOCHREALTIME
    /usr/bin/time -v -o "$cdir/corridor.time" \
      "$CORRIDOR" run "$sdir" --settings "$yml" --seed 1 --threads 1 -o "$cdir/corridor" \
      >"$cdir/corridor.stdout" 2>"$cdir/corridor.stderr"
    t1=$EPOCHREALTIME
    set -e
    read -r _ c_kb c_rc < <(time_fields "$cdir/corridor.time")
    c_wall="$(elapsed "$t0" "$t1")"
    if [ "$c_rc" != 0 ]; then
      tail -20 "$cdir/corridor.stderr" >&2
      die "corridor failed on $scen h$h (exit $c_rc); see $cdir/corridor.stderr"
    fi
    [ -s "$cdir/corridor/out.csv" ] || die "corridor wrote no $cdir/corridor/out.csv"
    [ -s "$cdir/corridor/summary.json" ] || die "corridor wrote no $cdir/corridor/summary.json"
    read -r ad sim_s < <("$HPY" -c 'import json,sys; j=json.load(open(sys.argv[1])); print(int(j["agent_days"]), float(j["wall_seconds"]))' "$cdir/corridor/summary.json") \
      || die "bad summary.json for $scen h$h (need agent_days and wall_seconds)"
    c_s="$(fmt "$c_wall" 3)"; c_mb="$(mb "$c_kb")"
    adps="$(awk -v a="$ad" -v s="$sim_s" 'BEGIN { if (s > 0) printf "%.3g M", a / s / 1e6; else print "-" }')"
    c_det="$(det_check "$cdir/corridor/out.csv" "$scen" "$h")"
    log "$scen h$h: corridor ${c_s} s, ${c_mb} MB, ${ad} agent-days"
  fi

  f_s="-"; f_mb="-"; ratio="-"; f_det="-"
  if [ "$RUN_FLEE" = 1 ]; then
    if [ "$FLEE_TIMEOUT" -gt 0 ]; then log "$scen h$h: Flee (timeout ${FLEE_TIMEOUT}s)"; else log "$scen h$h: Flee"; fi
    tcmd=()
    [ "$FLEE_TIMEOUT" -gt 0 ] && tcmd=(timeout --signal=TERM --kill-after=10 "$FLEE_TIMEOUT")
    set +e
    t0=$EPOCHREALTIME
    /usr/bin/time -v -o "$cdir/flee.time" "${tcmd[@]}" \
      "$VPY" "$BENCH/flee_run.py" "$sdir/input_csv" "$sdir/source_data" 0 "$yml" \
      >"$cdir/flee_out.csv" 2>"$cdir/flee.stderr"
    t1=$EPOCHREALTIME
    set -e
    read -r _ f_kb f_rc < <(time_fields "$cdir/flee.time")
    f_wall="$(elapsed "$t0" "$t1")"
    f_done=$(( $(wc -l <"$cdir/flee_out.csv") - 1 )); [ "$f_done" -ge 0 ] || f_done=0
    if [ "$FLEE_TIMEOUT" -gt 0 ] && { [ "$f_rc" = 124 ] || [ "$f_rc" = 137 ]; }; then
      f_s=">$(fmt "$f_wall" 0) (killed, day $f_done/$days)"; f_mb="≥$(mb "$f_kb")"; lb=">"
    elif [ "$f_rc" != 0 ]; then
      tail -20 "$cdir/flee.stderr" >&2
      die "Flee failed on $scen h$h (exit $f_rc); see $cdir/flee.stderr"
    else
      f_s="$(fmt "$f_wall" 2)"; f_mb="$(mb "$f_kb")"; lb=""
    fi
    f_det="$(det_check "$cdir/flee_out.csv" "$scen" "$h")"
    if [ -n "$c_wall" ]; then
      ratio="$lb$(awk -v f="$f_wall" -v c="$c_wall" 'BEGIN { if (c > 0) printf "%.1f", f / c; else print "inf" }')×"
    fi
    log "$scen h$h: Flee $f_s s, $f_mb MB (deterministic columns vs reference: $f_det)"
  fi

  ROWS+=("| $scen | $h | $days | $f_s | $f_mb | $c_s | $c_mb | $ratio | $ad | $adps | $f_det / $c_det |")
done

# ---------------------------------------------------------------- report
{
  echo "# corridor vs Flee — $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "- machine: $(lscpu 2>/dev/null | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }'), $(getconf _NPROCESSORS_ONLN) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load average $LOAD_START at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (other work on the machine slows both programs)"
  [ "$RUN_FLEE" = 1 ] && echo "- Flee: PyPI \`flee==$FLEE_VERSION\` on $("$VPY" --version 2>&1), driven by \`bench/flee_run.py\` (= \`runscripts/run.py <input_csv> <source_data> 0 <yml>\`)"
  [ "$RUN_CORRIDOR" = 1 ] && echo "- corridor: \`target/release/corridor run <scenario> --settings <yml> --seed 1 --threads 1 -o <dir>\`, git $CORRIDOR_REV"
  echo "- settings: \`reference/val_h<N>.yml\` (FabFlee validation settings with \`hasten: N\`); both programs single-threaded, run one after the other"
  [ "$FLEE_TIMEOUT" -gt 0 ] && echo "- Flee timeout: ${FLEE_TIMEOUT} s (killed runs give lower bounds, marked >)"
  echo "- raw outputs: \`bench/results/$(basename "$WORK")/\`"
  echo
  echo "| scenario | hasten | days | Flee s | Flee peak MB | corridor s | corridor peak MB | speed ratio (Flee/corridor) | corridor agent-days | corridor agent-days/s | deterministic cols vs reference (Flee / corridor) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Seconds are whole-process wall-clock time (input loading and output included), measured around \`/usr/bin/time -v\`, which gives the peak RSS."
  echo "The speed ratio is Flee seconds / corridor seconds. Agent-days/s is corridor's \`agent_days / wall_seconds\` from its summary.json."
  echo "The deterministic-column check compares the \`<camp> data\`, UNHCR total, agent-count, raw and debt columns with \`reference/rep_h<N>_<scenario>_*.csv\` (\`bench/compare_det.py\`)."
} >"$MD"

cat "$MD"
log "wrote $MD"
