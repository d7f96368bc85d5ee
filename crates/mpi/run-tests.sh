#!/usr/bin/env bash
# 2-rank MPI check (CI): `corridor mpi-run` and `corridor mpi-ensemble` on two
# ranks give byte-identical files to `corridor run` and `corridor ensemble`.
# Needs target/release/corridor built with `--features mpi`, mpirun, and
# data/flee beside the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=target/release/corridor
flee=data/flee
mali=("$flee/scenarios/mali2012" --settings "$flee/reference/val_h10.yml" --hasten 10)
fallujah=(scenarios/fallujah-2016)
mpirun=(mpirun --allow-run-as-root --oversubscribe -np 2)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

same() { # same <file> <dir-a> <dir-b>
  cmp "$2/$1" "$3/$1" || { echo "MPI: $1 differs ($2 vs $3)" >&2; exit 1; }
}

"$bin" run "${mali[@]}" --seed 3 -q -o "$tmp/run1"
"${mpirun[@]}" "$bin" mpi-run "${mali[@]}" --seed 3 --threads 1 -q -o "$tmp/run2"
same out.csv "$tmp/run1" "$tmp/run2"

"$bin" run "${fallujah[@]}" --seed 2 -q -o "$tmp/fal1"
"${mpirun[@]}" "$bin" mpi-run "${fallujah[@]}" --seed 2 --threads 1 -q -o "$tmp/fal2"
same out.csv "$tmp/fal1" "$tmp/fal2"
same fates.csv "$tmp/fal1" "$tmp/fal2"

"$bin" ensemble "${mali[@]}" -n 5 --seed 9 -q -o "$tmp/ens1"
"${mpirun[@]}" "$bin" mpi-ensemble "${mali[@]}" -n 5 --seed 9 --threads 1 -q -o "$tmp/ens2"
same ensemble.csv "$tmp/ens1" "$tmp/ens2"
same replicates.csv "$tmp/ens1" "$tmp/ens2"

"$bin" ensemble "${fallujah[@]}" -n 3 -q -o "$tmp/fens1"
"${mpirun[@]}" "$bin" mpi-ensemble "${fallujah[@]}" -n 3 --threads 1 -q -o "$tmp/fens2"
for f in ensemble.csv replicates.csv fates_ensemble.csv; do
  same "$f" "$tmp/fens1" "$tmp/fens2"
done
echo "MPI: 2-rank runs and ensembles match the single-process files"
