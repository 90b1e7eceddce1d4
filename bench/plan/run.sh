#!/bin/sh
# Plans a jobs CSV over COUNT run directories (default 10,000) and a COUNT-point sweep, then a jobs CSV over LARGE
# run directories (default 100,000; LARGE=0 skips it), in a release build, each plan in its own process: cold twice
# (each on a fresh tree, after dropping the page cache where allowed; every input file hashed, the stat cache
# written) and warm twice (replanning unchanged inputs through the stat cache). Prints `uptime` before and after,
# and per plan the files read (and how many of them in io_uring batches), wall and CPU time, peak RSS, the disk's
# read requests meanwhile (other processes' too) and the wall time of each phase (`plan --timings`). Before each
# cold plan of a jobs CSV, the same cold tree is read by `plan-bench floor` (look at and list every run directory,
# look at and read every file, 16 threads, nothing else), once reading each file on its own and once batched as the
# plan reads them: the machine's limit for that plan (the batched floor's wall time, and its CPU time spread over
# every core), printed with the ratio. Then (where the page cache can be dropped) the warm tree is planned twice more
# after dropping it: a cold rerun, whose stat cache is kept, so no file is read but every directory and inode comes
# from the disk again; each beside `find` and `du` walking the same cold tree.
# Targets: 10,000 rows < 0.5 s cold and warm; 100,000 rows < 5 s and < 500 MiB.
#
# BEFORE=/path/to/an/older/plan-bench runs the same plans with it too, for a before/after comparison.
# PROFILE=1 records a warm 10,000-row plan with `perf` (when installed) and prints where the time goes.
set -eu
cd "$(dirname "$0")/../.."
COUNT="${1:-10000}"
LARGE="${LARGE:-100000}"
swift build -j 1 -c release --product plan-bench >/dev/null  # the build rule's flags: a no-op after it
BIN="$(swift build -c release --show-bin-path)/plan-bench"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/plan-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

drop_caches() {
    if sync 2>/dev/null && (echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then
        echo "  (page cache dropped)"
    fi
}

# fresh <dir> <count>: a new tree, older than the stat cache's racy window (1 s) by the time a plan writes the
# cache, so warm plans trust every entry, as they would for inputs written before a rerun.
fresh() {
    rm -rf "$1"
    mkdir -p "$1"
    "$BIN" generate "$1" "$2" >/dev/null
    sleep 2
}

# The disk under the trees, for its read request count (/sys/block/<disk>/stat: reads completed, field 1).
DISK_STAT="/sys/block/$(basename "$(df --output=source "$WORK" | tail -1)")/stat"
[ -r "$DISK_STAT" ] || DISK_STAT=""

# disk_reads: the disk's completed read requests so far (0 when unknown).
disk_reads() { if [ -n "$DISK_STAT" ]; then awk '{print $1}' "$DISK_STAT"; else echo 0; fi; }

# plan <binary> <spec>: one plan, with the disk's read requests during it when known, then its phases (an older
# binary given as BEFORE prints none).
plan() {
    before=$(disk_reads)
    output=$("$1" plan "$2")
    line=$(echo "$output" | head -n 1)
    [ -n "$DISK_STAT" ] && line="$line, $(($(disk_reads) - before)) disk reads"
    echo "$line"
    echo "$output" | tail -n +2
    last_wall=$(echo "$line" | sed -n 's/.*wall \([0-9.]*\) s.*/\1/p')
}

# floor <tree> [--one-by-one]: the file work of a cold plan of <tree>/jobs.csv alone, on the cold tree; sets floor_wall
# and floor_cpu.
floor() {
    before=$(disk_reads)
    line=$("$BIN" floor "$@")
    [ -n "$DISK_STAT" ] && line="$line, $(($(disk_reads) - before)) disk reads"
    echo "  $line"
    floor_wall=$(echo "$line" | sed -n 's/.*wall \([0-9.]*\) s.*/\1/p')
    floor_cpu=$(echo "$line" | sed -n 's/.*cpu \([0-9.]*\) s.*/\1/p')
}
CORES=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

# bench <label> <binary> <count> <specs...>
bench() {
    label=$1
    binary=$2
    count=$3
    shift 3
    for round in 1 2; do
        fresh "$WORK/$label-$round" "$count"
        if [ "$label" = ours ]; then
            drop_caches
            floor "$WORK/$label-$round" --one-by-one
            drop_caches
            floor "$WORK/$label-$round"
            # The floor's CPU spread over every core is a bound too: a plan that did nothing else could not beat it.
            python3 -c "print(f'    bound: the larger of the floor\'s wall {$floor_wall:.3f} s and its CPU over $CORES cores {$floor_cpu / $CORES:.3f} s')"
        fi
        drop_caches
        for spec in "$@"; do
            printf '  %-7s cold %s: ' "$label" "$round"
            plan "$binary" "$WORK/$label-$round/$spec"
            if [ "$spec" = jobs.csv ] && [ "$label" = ours ] && [ -n "$floor_wall" ] && [ -n "$last_wall" ]; then
                python3 -c "print(f'    cold plan / floor: {$last_wall / max($floor_wall, 1e-9):.2f}; / bound: {$last_wall / max($floor_wall, $floor_cpu / $CORES, 1e-9):.2f}')"
            fi
        done
    done
    for round in 1 2; do
        for spec in "$@"; do printf '  %-7s warm %s: ' "$label" "$round"; plan "$binary" "$WORK/$label-2/$spec"; done
    done
    # A rerun after the page cache is gone (a reboot, or a tree not touched for a while): the stat cache is on disk,
    # so no file is read, but every directory and inode comes from the disk again. Beside it, what `find` and `du`
    # take to walk the same cold tree (one thread: `find` lists, `du` also looks at each file, as the plan must).
    if [ "$label" = ours ] && [ -n "$(drop_caches)" ]; then
        for round in 1 2; do
            drop_caches >/dev/null
            printf '  %-7s cold rerun %s (stat cache kept): ' "$label" "$round"
            plan "$binary" "$WORK/$label-2/jobs.csv"
            rerun_wall=$last_wall
            for peer in "find -type f" "du -s"; do
                drop_caches >/dev/null
                tool=${peer%% *}
                start=$(date +%s.%N)
                # shellcheck disable=SC2086 # the peer's flags are words
                $tool "$WORK/$label-2" ${peer#"$tool"} >/dev/null
                seconds=$(python3 -c "print(f'{$(date +%s.%N) - $start:.3f}')")
                python3 -c "print(f'    {\"$peer\":<13} same cold tree: wall $seconds s; cold rerun / it: {$rerun_wall / $seconds:.2f}')"
            done
        done
    fi
    rm -rf "$WORK/$label-1" "$WORK/$label-2"
}

echo "uptime before: $(uptime)"
echo "$COUNT rows / points (cold: fresh tree, every file hashed; warm: stat cache hits, no file read):"
bench ours "$BIN" "$COUNT" jobs.csv sweep.yaml
if [ -n "${BEFORE:-}" ]; then bench before "$BEFORE" "$COUNT" jobs.csv sweep.yaml; fi
if [ "$LARGE" -gt 0 ]; then
    echo "$LARGE rows:"
    bench ours "$BIN" "$LARGE" jobs.csv
    if [ -n "${BEFORE:-}" ]; then bench before "$BEFORE" "$LARGE" jobs.csv; fi
fi
if [ "${PROFILE:-0}" = 1 ] && command -v perf >/dev/null; then
    fresh "$WORK/profile" "$COUNT"
    "$BIN" plan "$WORK/profile/jobs.csv" >/dev/null
    perf record -q -F 4000 -g -o "$WORK/perf.data" "$BIN" plan "$WORK/profile/jobs.csv" >/dev/null 2>&1
    echo "where a warm $COUNT-row plan spends its time (perf, inclusive, top entries):"
    perf report -i "$WORK/perf.data" --children --sort symbol --stdio -g none 2>/dev/null |
        grep -E '^ +[0-9]' | head -25 | cut -c1-160
fi
echo "uptime after: $(uptime)"
