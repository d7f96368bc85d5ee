#!/usr/bin/env bash
# Checks that a build writes the same files as a snapshot taken earlier with
# scripts/snapshot-outputs.sh (the behaviour-unchanged check of a refactoring):
#   scripts/same-outputs.sh SNAPSHOT_DIR [BIN]     (BIN defaults to target/release/corridor)
# Prints the files that differ and exits 1 if any does.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(realpath "$1"); bin=${2:-target/release/corridor}
got=$(mktemp -d)/snap
scripts/snapshot-outputs.sh "$bin" "$got" >/dev/null
if diff -rq "$want" "$got"; then
  echo "same outputs: $(find "$want" -type f | wc -l) files byte-identical"
else
  echo "outputs differ (left: $want, right: $got)"; exit 1
fi
