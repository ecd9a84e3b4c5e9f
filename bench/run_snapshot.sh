#!/bin/sh
# Run bench/under_load.py against a committed snapshot of the code (default HEAD), so that edits
# in progress in the working tree cannot change the code under a run that takes many minutes.
# Results still go to this checkout's bench/results/ (unless --out is given after the args).
#   bench/run_snapshot.sh --rows 100000 --repeat 3
#   REV=abc123 bench/run_snapshot.sh --rows 1000000
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
rev=${REV:-HEAD}
dir=$(mktemp -d /tmp/migsmith-bench-src.XXXXXX)
git -C "$repo" archive "$(git -C "$repo" rev-parse "$rev")" | tar -x -C "$dir"
# the installed layout: migsmith.tools, migsmith.agent, migsmith.evals
for pkg in tools agent evals; do ln -s "../$pkg" "$dir/migsmith/$pkg"; done
cd "$dir"
MIGSMITH_BENCH_REV=$(git -C "$repo" rev-parse --short "$rev") PYTHONPATH="$dir" \
  exec "$repo/.venv/bin/python" -m bench.under_load --out "$repo/bench/results" "$@"
