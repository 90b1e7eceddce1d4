#!/bin/sh
# Plans a 10,000-row jobs CSV over 10,000 run directories and a 10,000-point sweep in a release build, each in
# its own process, and prints wall time and peak RSS per case. Targets: under 0.5 s and 100 MiB each.
set -eu
cd "$(dirname "$0")/../.."
COUNT="${1:-10000}"
swift build -c release --product plan-bench
BIN="$(swift build -c release --show-bin-path)/plan-bench"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/plan-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
"$BIN" generate "$WORK" "$COUNT"
"$BIN" plan "$WORK/jobs.csv"
"$BIN" plan "$WORK/sweep.yaml"
