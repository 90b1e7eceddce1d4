#!/usr/bin/env bash
# Storage benchmark (not part of the test suite): our S3 client against `aws s3 cp` on a local moto_server.
# Prints, for one file of SIZE_MIB (default 1024) random bytes: moto's own ceiling (one `curl -T` PUT), upload and
# download times for both clients with the same part size and concurrency (each side run twice, alternating; the
# best of each is compared), the ratios, our peak RSS, and `uptime` before and after (the machine is shared: a
# figure means little without its load). PERF=1 also records `perf` samples of one more upload of ours and prints
# the top symbols. Our upload streams each part to its request as it is read (1 MiB chunks, UNSIGNED-PAYLOAD);
# STORAGE_BENCH_BUFFERED=1 makes the binary hold whole parts instead (the path before streaming), for comparing RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "uptime at start: $(uptime)"

size_mib=${SIZE_MIB:-1024}
part_mib=${PART_MIB:-16}
window=${WINDOW:-4}

# CONFIG=debug uses the test build's binary as it is (no release build; slower, so say so beside its figures).
if [ "${CONFIG:-release}" = debug ]; then
    swift build --product storage-bench -Xswiftc -warnings-as-errors -Xswiftc -gnone -Xcc -g0 -Xswiftc -use-ld=lld >/dev/null  # the test build's flags
    bin=".build/debug/storage-bench"
else
    swift build -j 1 -c release --product storage-bench >/dev/null
    bin="$(swift build -c release --show-bin-path)/storage-bench"
fi
echo "binary: $bin"

work=$(mktemp -d "${TMPDIR:-/tmp}/storage-bench.XXXXXX")
moto_pid=""
cleanup() {
    [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1 && break
    sleep 0.1
done
endpoint="http://127.0.0.1:$port"

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-credentials"
export AWS_ENDPOINT_URL="$endpoint"
aws configure set default.s3.multipart_chunksize "${part_mib}MB"
aws configure set default.s3.multipart_threshold "${part_mib}MB"
aws configure set default.s3.max_concurrent_requests "$window"
aws s3 mb s3://bench >/dev/null

head -c $((size_mib * 1048576)) /dev/urandom >"$work/input.bin"
part=$((part_mib * 1048576))

now() { date +%s.%N; }
timed() { local t0; t0=$(now); "$@" >/dev/null; python3 -c "print(f'{$(now) - $t0:.2f}')"; }

min() { python3 -c "import sys; print(min(sys.argv[1:], key=float))" "$@"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }

ceiling=$(timed curl -fsS -T "$work/input.bin" "$endpoint/bench/ceiling.bin")
ups_ours=(); ups_aws=(); downs_ours=(); downs_aws=(); rss_up=0; rss_down=0
for round in 1 2; do
    ups_ours+=("$(timed env STORAGE_BENCH_DEBUG=1 /usr/bin/time -v -o "$work/up.rss" "$bin" upload "$endpoint" bench ours.bin \
        "$work/input.bin" "$part" "$window" 2>>"$work/ours.log")")
    rss_up=$(python3 -c "print(max($rss_up, $(rss "$work/up.rss")))")
    ups_aws+=("$(timed aws s3 cp --only-show-errors "$work/input.bin" s3://bench/aws.bin)")
    downs_ours+=("$(timed env STORAGE_BENCH_DEBUG=1 /usr/bin/time -v -o "$work/down.rss" "$bin" download "$endpoint" bench \
        ours.bin "$work/ours.out" "$part" "$window" 2>>"$work/ours.log")")
    rss_down=$(python3 -c "print(max($rss_down, $(rss "$work/down.rss")))")
    downs_aws+=("$(timed aws s3 cp --only-show-errors s3://bench/aws.bin "$work/aws.out")")
    cmp "$work/input.bin" "$work/ours.out"
    cmp "$work/input.bin" "$work/aws.out"
    rm -f "$work/ours.out" "$work/aws.out"
    echo "round $round: upload ours ${ups_ours[-1]} s, aws ${ups_aws[-1]} s; download ours ${downs_ours[-1]} s, aws ${downs_aws[-1]} s"
done
ours_up=$(min "${ups_ours[@]}"); aws_up=$(min "${ups_aws[@]}")
ours_down=$(min "${downs_ours[@]}"); aws_down=$(min "${downs_aws[@]}")
if [ "${PERF:-0}" = 1 ]; then
    perf record -F 499 -g -o "$work/perf.data" "$bin" upload "$endpoint" bench perf.bin "$work/input.bin" "$part" "$window" \
        >/dev/null 2>"$work/perf.err"
    echo "perf: top symbols of one more upload of ours (self time, all threads)"
    perf report -i "$work/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -15
fi

python3 - "$size_mib" "$part_mib" "$window" "$ceiling" "$ours_up" "$aws_up" "$ours_down" "$aws_down" \
    "$rss_up" "$rss_down" <<'PY'
import sys
size, part, window, ceiling, ours_up, aws_up, ours_down, aws_down, rss_up, rss_down = sys.argv[1:]
f = float
mib = f(size)
print(f"file {size} MiB, part {part} MiB, {window} concurrent requests, moto_server on 127.0.0.1")
print(f"(a) moto ceiling, one curl -T PUT: {f(ceiling):7.2f} s  {mib / f(ceiling):7.1f} MiB/s")
print("best of two runs each:")
print(f"(b) upload   ours {f(ours_up):7.2f} s  aws s3 cp {f(aws_up):7.2f} s  ours/aws time ratio {f(ours_up) / f(aws_up):.2f}"
      f"  ours/ceiling {f(ours_up) / f(ceiling):.2f}")
print(f"(c) download ours {f(ours_down):7.2f} s  aws s3 cp {f(aws_down):7.2f} s  ours/aws time ratio {f(ours_down) / f(aws_down):.2f}")
print(f"peak RSS ours: upload {rss_up} MiB, download {rss_down} MiB (target <= 128 MiB)")
PY
echo "retries of ours (all runs): $(grep -c 'storage.retry' "$work/ours.log" || true)"
grep 'storage.retry' "$work/ours.log" | head -3 || true
echo "uptime at end: $(uptime)"
