#!/usr/bin/env bash
# Benchmark: 1,000 trivial jobs end to end on the embedded local platform (`rescale-int run`: archive, upload,
# register, create, submit, run, poll, download, every step journaled and fsync'd) against the same 1,000 jobs as a
# Snakemake workflow (`pip install snakemake`), in the same invocation; then journal replay of 100,000 records.
# Prints wall times, the ratio and the peak RSS of each (from /usr/bin/time -v, Debian package `time`).
# Not part of the test suite. Usage: bench/engine/run.sh [jobs, default 1000] [workers, default 4]
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs=${1:-1000}
workers=${2:-4}
command -v /usr/bin/time >/dev/null || { echo "install the Debian package 'time'" >&2; exit 1; }
command -v snakemake >/dev/null || { echo "install Snakemake: pip install snakemake" >&2; exit 1; }

swift build -c release --product rescale-int --product journal-replay-bench >/dev/null
bin=$(swift build -c release --show-bin-path)

work=$(mktemp -d "${TMPDIR:-/tmp}/engine-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ours" "$work/snake"

# The same trivial job both ways: write the job's index to out.txt, which comes back as the job's output.
{
    echo "version: 1"
    echo "name: bench"
    echo "defaults:"
    echo "  walltime: 10m"
    echo "  outputs:"
    echo "    include: [\"out.txt\"]"
    echo "    destination: \"results/{job}\""
    echo "jobs:"
    echo "  - name: \"job-{i}\""
    echo "    matrix:"
    echo "      i: [$(seq -s ', ' 1 "$jobs")]"
    echo "    command: echo {i} > out.txt"
} >"$work/ours/workflow.yaml"
cat >"$work/snake/Snakefile" <<SNAKE
rule all:
    input: expand("results/job-{i}/out.txt", i=range(1, $jobs + 1))

rule job:
    output: "results/job-{i}/out.txt"
    shell: "echo {wildcards.i} > {output}"
SNAKE

measure() { # label directory command...
    local label=$1 directory=$2
    shift 2
    local start end
    start=$(date +%s.%N)
    (cd "$directory" && /usr/bin/time -v "$@" >"$work/$label.out" 2>"$work/$label.time") || {
        echo "$label failed:" >&2
        tail -20 "$work/$label.out" "$work/$label.time" >&2
        exit 1
    }
    end=$(date +%s.%N)
    local rss
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$label.time")
    echo "$label $(echo "$end - $start" | bc) $rss"
}

read -r _ ours_s ours_rss < <(measure ours "$work/ours" "$bin/rescale-int" run workflow.yaml --quiet \
    --archive-workers "$workers" --transfer-workers "$workers" --api-workers "$workers" --local-cores "$workers")
read -r _ snake_s snake_rss < <(measure snake "$work/snake" snakemake --cores "$workers" --quiet all)
test "$(ls "$work/ours/results" | wc -l)" -eq "$jobs" || { echo "rescale-int did not bring back $jobs outputs" >&2; exit 1; }
test "$(ls "$work/snake/results" | wc -l)" -eq "$jobs" || { echo "snakemake did not produce $jobs outputs" >&2; exit 1; }

printf '%-28s %10s %14s\n' "" "wall (s)" "peak RSS (MB)"
printf '%-28s %10.2f %14.1f\n' "rescale-int run ($jobs jobs)" "$ours_s" "$(echo "$ours_rss / 1024" | bc -l)"
printf '%-28s %10.2f %14.1f\n' "snakemake ($jobs jobs)" "$snake_s" "$(echo "$snake_rss / 1024" | bc -l)"
printf 'ratio snakemake / rescale-int: %.2fx (target >= 2x)\n' "$(echo "$snake_s / $ours_s" | bc -l)"

/usr/bin/time -v "$bin/journal-replay-bench" 100000 2>"$work/replay.time"
printf 'journal replay peak RSS: %.1f MB (target < 0.5 s for the replay itself)\n' \
    "$(awk -F': ' '/Maximum resident set size/ { print $2 / 1024 }' "$work/replay.time")"
