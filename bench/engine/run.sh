#!/usr/bin/env bash
# Benchmark: trivial jobs end to end on the embedded local platform (`rescale-int run`: archive, upload, register,
# create, submit, run, poll, download, every step journaled and durable) against the same jobs as a Snakemake
# workflow, same cores; then journal replay of 100,000 records.
#
# For each count in JOBS (default "1000 10000") our run goes twice; Snakemake runs twice at the first count (and at
# the others too with SNAKE_ALL=1: at 10,000 it takes minutes). After the second round, the complete workflow is run
# again both ways (nothing left to do: what a user waits for when checking a finished study), and `rescale-int status`
# and `rescale-int runs` (twice: reading the whole run, then from its tally) are timed. Prints `uptime` before and
# after, every run's wall time and peak RSS (/usr/bin/time -v, Debian package `time`), the ratio Snakemake / ours
# at the first count (best of each; goal >= 3x), and our time at each further count over our time at the first
# (goal at 10,000: <= 11x).
# Needs Snakemake: `pip install snakemake` (into the Python whose `snakemake` is on PATH).
# SCRATCH_FS=1 (root, mkfs.ext4 from e2fsprogs) runs every measured command on a file system made for it alone: an
# ext4 without a journal (as this VM's disk) on a loop device of SCRATCH_SIZE (default 8G), made anew before each
# run, so no run pays for the inodes an earlier one freed (see bench/README.md); every sync then also goes through
# the loop device, so its times are longer than on the disk itself.
# Not part of the test suite. Usage: [JOBS="1000 10000"] [SCRATCH_FS=1] bench/engine/run.sh [workers, default 4]
set -euo pipefail
cd "$(dirname "$0")/../.."
read -r -a counts <<<"${JOBS:-1000 10000}"
workers=${1:-4}
command -v /usr/bin/time >/dev/null || { echo "install the Debian package 'time'" >&2; exit 1; }
command -v snakemake >/dev/null || { echo "install Snakemake: pip install snakemake" >&2; exit 1; }

# RESCALE_INT=<binary> times that build instead of building a release one (e.g. an older build, for before and
# after); the journal replay then runs only if REPLAY_BENCH=<journal-replay-bench binary> is given too.
if [ -n "${RESCALE_INT:-}" ]; then
    ours=$(realpath "$RESCALE_INT") # the runs start in their own directories
    replay=${REPLAY_BENCH:-}
else
    swift build -j 1 -c release --product rescale-int >/dev/null
    swift build -j 1 -c release --product journal-replay-bench >/dev/null
    bin=$(swift build -c release --show-bin-path)
    ours=$bin/rescale-int
    replay=$bin/journal-replay-bench
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/engine-bench.XXXXXX")
scratch=""
if [ "${SCRATCH_FS:-0}" = 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "SCRATCH_FS=1 needs root (it mounts a loop device)" >&2; exit 1; }
    command -v mkfs.ext4 >/dev/null || { echo "SCRATCH_FS=1 needs mkfs.ext4 (Debian package e2fsprogs)" >&2; exit 1; }
    scratch="$work/scratch"
    mkdir -p "$scratch"
fi
cleanup() {
    if [ -n "$scratch" ]; then umount "$scratch" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# fresh_fs: replaces the scratch file system with a new, empty one (not timed).
fresh_fs() {
    umount "$scratch" 2>/dev/null || true
    rm -f "$work/scratch.img"
    truncate -s "${SCRATCH_SIZE:-8G}" "$work/scratch.img"
    mkfs.ext4 -q -F -O ^has_journal -E lazy_itable_init=0 "$work/scratch.img"
    mount -o loop "$work/scratch.img" "$scratch"
    sync
}

# setup <dir> <jobs>: the same trivial job both ways (write the job's index to out.txt, which comes back).
setup() {
    local dir=$1 jobs=$2
    rm -rf "$dir"
    mkdir -p "$dir/ours" "$dir/snake"
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
    } >"$dir/ours/workflow.yaml"
    cat >"$dir/snake/Snakefile" <<SNAKE
rule all:
    input: expand("results/job-{i}/out.txt", i=range(1, $jobs + 1))

rule job:
    output: "results/job-{i}/out.txt"
    shell: "echo {wildcards.i} > {output}"
SNAKE
}

# measure <label> <directory> <expected outputs> <command...>: prints "seconds rss-MiB cpu-seconds" (user + sys,
# children included).
measure() {
    local label=$1 directory=$2 expected=$3
    shift 3
    local start end
    start=$(date +%s.%N)
    (cd "$directory" && /usr/bin/time -v "$@" >"$work/$label.out" 2>"$work/$label.time") || {
        echo "$label failed:" >&2
        tail -n 20 "$work/$label.out" "$work/$label.time" >&2
        exit 1
    }
    end=$(date +%s.%N)
    local made
    made=$(ls "$directory/results" | wc -l)
    test "$made" -eq "$expected" || { echo "$label brought back $made of $expected outputs" >&2; exit 1; }
    echo "$(echo "$end - $start" | bc) $(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' \
        "$work/$label.time") $(awk -F': ' '/(User|System) time \(seconds\)/ { cpu += $2 } END { printf "%.2f", cpu }' \
        "$work/$label.time")"
}

best() { printf '%s\n' "$@" | sort -g | head -1; }

echo "uptime before: $(uptime)"
if [ -n "$scratch" ]; then
    echo "file system: a fresh ext4 without a journal on a loop device for every run (SCRATCH_FS=1)"
fi
printf '%-34s %10s %14s %12s %s\n' "" "wall (s)" "peak RSS (MiB)" "CPU (s)" "load (1 min)"
declare -A ours_best
first=${counts[0]}
snake_times=()
for jobs in "${counts[@]}"; do
    times=()
    for round in 1 2; do
        # Each round in a folder of its own, the earlier ones left in place until the end: removing a 10,000-job
        # round's 140,000 files just before the next one made the next one pay for it (on ext4 without a journal,
        # as this VM's, every new inode steps over those freed in the last minute: 53 s became 61-75 s).
        run="$work/run-$jobs-$round"
        if [ -n "$scratch" ]; then
            fresh_fs
            run="$scratch/run"
        fi
        setup "$run" "$jobs"
        read -r seconds rss cpu < <(measure "ours-$jobs-$round" "$run/ours" "$jobs" "$ours" run \
            workflow.yaml --quiet --archive-workers "$workers" --transfer-workers "$workers" \
            --api-workers "$workers" --local-cores "$workers")
        printf '%-34s %10.2f %14s %12s %s\n' "rescale-int run, $jobs jobs, run $round" "$seconds" "$rss" "$cpu" \
            "$(cut -d' ' -f1 /proc/loadavg)"
        times+=("$seconds")
        if [ "$jobs" = "$first" ] || [ "${SNAKE_ALL:-0}" = 1 ]; then
            if [ -n "$scratch" ]; then
                fresh_fs
                setup "$run" "$jobs"
            fi
            read -r seconds rss cpu < <(measure "snake-$jobs-$round" "$run/snake" "$jobs" snakemake \
                --cores "$workers" --quiet all)
            printf '%-34s %10.2f %14s %12s %s\n' "snakemake, $jobs jobs, run $round" "$seconds" "$rss" "$cpu" \
                "$(cut -d' ' -f1 /proc/loadavg)"
            [ "$jobs" = "$first" ] && snake_times+=("$seconds")
            # The complete workflow run again (nothing left to do), as a user checks a finished study.
            if [ "$round" = 2 ]; then
                read -r seconds rss cpu < <(measure "snake-again-$jobs" "$run/snake" "$jobs" snakemake \
                    --cores "$workers" --quiet all)
                printf '%-34s %10.2f %14s %12s %s\n' "snakemake again, $jobs jobs done" "$seconds" "$rss" "$cpu" \
                    "$(cut -d' ' -f1 /proc/loadavg)"
                [ "$jobs" = "$first" ] && snake_again=$seconds
            fi
        fi
        if [ "$round" = 2 ]; then
            # Ours too: the run again (every job done: the journal is read, the outputs checked in place) and its
            # status.
            read -r seconds rss cpu < <(measure "ours-again-$jobs" "$run/ours" "$jobs" "$ours" run workflow.yaml \
                --quiet --local-cores "$workers")
            printf '%-34s %10.2f %14s %12s %s\n' "rescale-int run again, $jobs done" "$seconds" "$rss" "$cpu" \
                "$(cut -d' ' -f1 /proc/loadavg)"
            [ "$jobs" = "$first" ] && ours_again=$seconds
            read -r seconds rss cpu < <(measure "ours-status-$jobs" "$run/ours" "$jobs" "$ours" status)
            printf '%-34s %10.2f %14s %12s %s\n' "rescale-int status, $jobs jobs" "$seconds" "$rss" "$cpu" \
                "$(cut -d' ' -f1 /proc/loadavg)"
            # `runs` twice: the first listing reads the whole run (and keeps its tally), the second lists it from
            # the tally.
            for pass in first again; do
                read -r seconds rss cpu < <(measure "ours-runs-$pass-$jobs" "$run/ours" "$jobs" "$ours" runs)
                printf '%-34s %10.2f %14s %12s %s\n' "rescale-int runs ($pass), $jobs jobs" "$seconds" "$rss" \
                    "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
            done
        fi
    done
    ours_best[$jobs]=$(best "${times[@]}")
done
printf 'ratio snakemake / rescale-int at %s jobs (best of two each): %.2fx (goal >= 3x)\n' "$first" \
    "$(echo "$(best "${snake_times[@]}") / ${ours_best[$first]}" | bc -l)"
if [ -n "${snake_again:-}" ] && [ -n "${ours_again:-}" ]; then
    printf 'ratio snakemake / rescale-int for the complete workflow run again at %s jobs: %.2fx\n' "$first" \
        "$(echo "$snake_again / $ours_again" | bc -l)"
fi
for jobs in "${counts[@]:1}"; do
    printf 'rescale-int %s jobs / %s jobs (best of two each): %.2fx (goal at 10,000: <= 11x)\n' "$jobs" "$first" \
        "$(echo "${ours_best[$jobs]} / ${ours_best[$first]}" | bc -l)"
done

if [ -n "$replay" ]; then
    /usr/bin/time -v "$replay" 100000 2>"$work/replay.time"
    printf 'journal replay peak RSS: %.1f MiB (target < 0.5 s for the replay itself)\n' \
        "$(awk -F': ' '/Maximum resident set size/ { print $2 / 1024 }' "$work/replay.time")"
fi
echo "uptime after: $(uptime)"
