#!/usr/bin/env bash
# Benchmark: JOBS (default 1000) trivial jobs on a real single-node Slurm started by scripts/slurm-cluster (16
# advertised CPUs on this machine's cores: oversubscribed), ours (`rescale-int run --platform slurm`, release build)
# with and without job arrays, against Snakemake with its Slurm executor plugin
# (snakemake-executor-plugin-slurm), without and with its arrays (`--slurm-array-jobs=all`), same cluster, same
# run. Each side runs twice; prints `uptime` before and after, every run's wall time and load, and the ratios
# (best of two each).
#
# Both sides get the same knobs: at most SUBMIT_RATE (default 100, Snakemake's own default) submissions per
# second, status read every POLL seconds (default 1), all jobs allowed in flight at once. Each job writes its index
# to out.txt, which must come back (ours: results/job-N/out.txt through the platform; Snakemake: the same path on
# the shared file system).
#
# No accounting (slurmdbd) is needed: the Snakemake plugin reads status with `squeue`
# (`--slurm-status-command squeue`; the cluster keeps finished jobs for an hour, MinJobAge=3600) and runs without
# an account (`--slurm-no-account`). Two workarounds, both for the plugin, not for Slurm:
# - The plugin's job step removes every SLURM_* variable but a few (SLURM_CONF included) before its inner `srun`,
#   so a cluster whose slurm.conf is not /etc/slurm/slurm.conf is lost inside the job: a `srun` shim first on PATH
#   puts SLURM_CONF back. (Ours runs the job's command in the batch script itself: no srun, no shim needed.)
# - The node advertises no memory (RealMemory defaults to 1 MB): Snakemake gets `mem_mb=1` and, for arrays,
#   `--slurm-disable-memory-fudge` (it would raise the request to fit its payload).
#
# Every run is bounded by STEP_TIMEOUT (default 1800 s); a run that fails or times out is reported and the bench
# goes on. Needs Debian's slurmctld slurmd slurm-client munge, and
#   pip install snakemake==9.27.1 snakemake-executor-plugin-slurm
# Not part of the test suite. Usage: [JOBS=1000] [SIDES="ours-array ours snake snake-array"] bench/slurm/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
jobs=${JOBS:-1000}
rate=${SUBMIT_RATE:-100}
poll=${POLL:-1}
step_timeout=${STEP_TIMEOUT:-1800}
read -r -a sides <<<"${SIDES:-ours-array ours snake snake-array}"
command -v snakemake >/dev/null || { echo "install Snakemake: pip install snakemake" >&2; exit 1; }
python3 -c 'import snakemake_executor_plugin_slurm' 2>/dev/null ||
    { echo "install the plugin: pip install snakemake-executor-plugin-slurm" >&2; exit 1; }

# RESCALE_INT=<binary> times that build instead of building a release one.
if [ -n "${RESCALE_INT:-}" ]; then
    ours=$RESCALE_INT
else
    swift build -j 1 -c release --product rescale-int >/dev/null
    ours=$(swift build -j 1 -c release --show-bin-path)/rescale-int
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/slurm-bench.XXXXXX")
cluster=$work/cluster
cleanup() {
    "$repo/scripts/slurm-cluster" stop "$cluster" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
eval "$("$repo/scripts/slurm-cluster" start "$cluster" --owner $$)"
export SLURM_CONF
mkdir -p "$work/shim"
printf '#!/bin/sh\nSLURM_CONF=%s exec %s "$@"\n' "$SLURM_CONF" "$(command -v srun)" >"$work/shim/srun"
chmod +x "$work/shim/srun"

# setup <dir> <array true|false>: the same trivial jobs both ways.
setup() {
    local dir=$1 array=$2
    rm -rf "$dir"
    mkdir -p "$dir/ours" "$dir/snake"
    {
        echo "version: 1"
        echo "name: slurm-bench"
        echo "slurm:"
        echo "  array: $array"
        echo "  submit-rate: $rate"
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

# run <label> <directory> <command...>: prints the wall seconds, or "failed" / "timeout".
run() {
    local label=$1 directory=$2
    shift 2
    local start end status=0
    start=$(date +%s.%N)
    (cd "$directory" && timeout "$step_timeout" "$@" >"$work/$label.out" 2>&1) || status=$?
    end=$(date +%s.%N)
    if [ "$status" = 124 ]; then echo timeout; return; fi
    if [ "$status" != 0 ]; then
        echo "$label failed ($status):" >&2
        tail -5 "$work/$label.out" >&2
        echo failed
        return
    fi
    local made
    made=$(find "$directory/results" -name out.txt 2>/dev/null | wc -l)
    if [ "$made" -ne "$jobs" ]; then
        echo "$label brought back $made of $jobs outputs" >&2
        echo failed
        return
    fi
    echo "$end - $start" | bc
}

snake_flags=(all --executor slurm --jobs "$jobs" --slurm-status-command squeue --slurm-no-account
    --slurm-init-seconds-before-status-checks "$poll" --seconds-between-status-checks "$poll"
    --max-jobs-per-timespan "$rate/1s" --default-resources slurm_partition=debug runtime=10 mem_mb=1 --quiet)

echo "uptime before: $(uptime)"
echo "$jobs jobs, submit rate $rate/s, status every ${poll}s, snakemake $(snakemake --version)," \
    "plugin $(pip show snakemake-executor-plugin-slurm 2>/dev/null | awk '/^Version/ { print $2 }')"
printf '%-44s %10s %s\n' "" "wall (s)" "load (1 min)"
declare -A best
for round in 1 2; do
    for side in "${sides[@]}"; do
        case $side in
            ours-array) setup "$work/run" true ;;
            *) setup "$work/run" false ;;
        esac
        case $side in
            ours | ours-array)
                seconds=$(run "$side-$round" "$work/run/ours" "$ours" run workflow.yaml --quiet --platform slurm \
                    --poll-interval "$poll")
                ;;
            snake)
                seconds=$(PATH=$work/shim:$PATH run "$side-$round" "$work/run/snake" snakemake "${snake_flags[@]}")
                ;;
            snake-array)
                seconds=$(PATH=$work/shim:$PATH run "$side-$round" "$work/run/snake" snakemake "${snake_flags[@]}" \
                    --slurm-array-jobs=all --slurm-disable-memory-fudge)
                ;;
            *) echo "unknown side $side" >&2; exit 64 ;;
        esac
        printf '%-44s %10s %s\n' "$side, $jobs jobs, run $round" "$seconds" "$(cut -d' ' -f1 /proc/loadavg)"
        if [[ $seconds =~ ^[0-9.]+$ ]]; then
            if [ -z "${best[$side]:-}" ] || [ "$(echo "$seconds < ${best[$side]}" | bc)" = 1 ]; then
                best[$side]=$seconds
            fi
        fi
    done
done
echo "uptime after: $(uptime)"
ratio() {
    local top=${best[$1]:-} bottom=${best[$2]:-}
    if [ -n "$top" ] && [ -n "$bottom" ]; then
        printf '%-44s %.2fx\n' "$1 / $2 (time, best of two):" "$(echo "$top / $bottom" | bc -l)"
    fi
}
ratio ours-array ours
ratio ours snake
ratio ours-array snake
ratio ours-array snake-array
ratio snake-array snake
