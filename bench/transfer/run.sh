#!/usr/bin/env bash
# Benchmark: our tar + AES-256-CBC + SHA-512 upload producer against `tar cf - | openssl enc` on the same 2 GiB tree
# of mixed file sizes. Prints wall time, throughput and peak RSS (from /usr/bin/time -v, Debian package `time`) and
# the ratio (each side run twice, the best compared), and the machine's limit for the pipeline measured in the same
# run: AES-256-CBC's and SHA-512's rates on two threads at once, as the pipeline runs them on separate cores (each
# also alone), and the tree's read rate (`tar cf - | wc -c` from the page cache); the limit is the slowest of the
# three, and our fraction of it is printed. On 2 cores the read also needs a core: the 2-core bound (AES + SHA-512 +
# our own read of the tree, `transfer-bench --read-only`, as CPU time per MiB shared by two cores) and our fraction of
# it are printed too. The tree is read again right before every timed run: this VM's DAMON reclaim pages out
# unmapped page cache left idle for a few seconds. `uptime` before and after. Not part of the test suite.
# Usage: bench/transfer/run.sh [size-in-MiB, default 2048]; CONFIG=debug uses the test build's binary as it is,
# BENCH_BIN=<transfer-bench> a given binary (say, main's, for a before/after pair); BEFORE=<transfer-bench> also times
# that binary in every round, between ours and tar | openssl (a before/after pair in the same minutes); ROUNDS=n
# (default 2) rounds. Release builds use the build rule's
# `swift build -j 1 -c release`, whose objects differ from a build without `-j 1`: the same flags make it a no-op.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "uptime at start: $(uptime)"
total_mib=${1:-2048}
command -v /usr/bin/time >/dev/null || { echo "install the Debian package 'time'" >&2; exit 1; }

if [ -n "${BENCH_BIN:-}" ]; then
    bench=$BENCH_BIN # a binary built before (an older build to compare with), used as it is
elif [ "${CONFIG:-release}" = debug ]; then
    swift build --product transfer-bench -Xswiftc -warnings-as-errors -Xswiftc -gnone -Xcc -g0 -Xswiftc -use-ld=lld >/dev/null  # the test build's flags
    bench=.build/debug/transfer-bench
else
    swift build -j 1 -c release --product transfer-bench >/dev/null
    bench=$(swift build -c release --show-bin-path)/transfer-bench
fi
echo "binary: $bench"

work=$(mktemp -d "${TMPDIR:-/tmp}/transfer-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree="$work/Run_1"
mkdir -p "$tree"
key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
iv=a0a1a2a3a4a5a6a7a8a9aaabacadaeaf

# Incompressible bytes, fast: AES-CTR of zeros.
random_file() { # path bytes
    head -c "$2" /dev/zero | openssl enc -aes-128-ctr -K "$key" -iv "$iv" -nosalt 2>/dev/null | head -c "$2" >"$1"
}
# Mixed sizes: 1/2 in 8 large files, 1/4 in 5 MiB files, 1/4 in 64 KiB files spread over directories.
large=$((total_mib * 1048576 / 2 / 8))
for i in $(seq 1 8); do random_file "$tree/large_$i.bin" "$large"; done
for i in $(seq 1 $((total_mib / 4 / 5))); do
    mkdir -p "$tree/medium/$((i % 10))"; random_file "$tree/medium/$((i % 10))/m_$i.bin" 5242880
done
small_count=$((total_mib * 1048576 / 4 / 65536))
mkdir -p "$tree/small"
random_file "$work/small.src" $((small_count * 65536))
(cd "$tree/small" && split -b 65536 -a 5 -d "$work/small.src" s_ && for d in 0 1 2 3 4 5 6 7 8 9; do mkdir -p "d$d"; done \
    && i=0 && for f in s_*; do mv "$f" "d$((i % 10))/$f"; i=$((i + 1)); done)
rm "$work/small.src"
echo "tree: $(du -sh "$tree" | cut -f1), $(find "$tree" -type f | wc -l) files"
warm() { cat $(find "$tree" -type f) >/dev/null; } # the page cache, before every timed run (DAMON drops it)
warm

measure() { # label command...
    local log="$work/$1.time"
    /usr/bin/time -v "${@:2}" >"$work/$1.out" 2>"$log"
    local wall rss
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
    echo "$1 $wall $rss"
}

our_read=$("$bench" "$tree" --read-only | sed -n 's/.*read_mib_per_s=\([0-9.]*\).*/\1/p')
warm
read_start=$(date +%s.%N)
tar_bytes=$(tar cf - -C "$work" Run_1 | wc -c)
read_seconds=$(python3 -c "print($(date +%s.%N) - $read_start)")
read -r aes_rate sha_rate together_aes together_sha < <("$bench" --rates 512 | sed 's/[a-z0-9_]*=//g' | tr '\n' ' '; echo)
together_aes=${together_aes:-$aes_rate} # an older transfer-bench (BENCH_BIN) measures them one after the other only
together_sha=${together_sha:-$sha_rate}
best_ours=""; best_base=""
best_before=""
for round in $(seq 1 "${ROUNDS:-2}"); do
    warm
    read -r _ ours_wall ours_rss < <(measure ours "$bench" "$tree" --key "$key" --iv "$iv")
    warm
    read -r _ base_wall base_rss < <(measure base bash -c "tar cf - -C '$work' Run_1 | openssl enc -aes-256-cbc -K $key -iv $iv >/dev/null")
    before_text=""
    if [ -n "${BEFORE:-}" ]; then
        warm
        read -r _ before_wall before_rss < <(measure before "$BEFORE" "$tree" --key "$key" --iv "$iv")
        before_text="; before ${before_wall}s ${before_rss} KiB"
        if [ -z "$best_before" ] || awk "BEGIN{exit !($before_wall < $best_before)}"; then best_before=$before_wall; best_before_rss=$before_rss; fi
    fi
    echo "round $round: ours ${ours_wall}s ${ours_rss} KiB; tar|openssl ${base_wall}s ${base_rss} KiB$before_text"
    if [ -z "$best_ours" ] || awk "BEGIN{exit !($ours_wall < $best_ours)}"; then best_ours=$ours_wall; best_ours_rss=$ours_rss; fi
    if [ -z "$best_base" ] || awk "BEGIN{exit !($base_wall < $best_base)}"; then best_base=$base_wall; best_base_rss=$base_rss; fi
done
cat "$work/ours.out"
awk -v o="$best_ours" -v b="$best_base" -v orss="$best_ours_rss" -v brss="$best_base_rss" -v bytes="$tar_bytes" \
    -v aes="$aes_rate" -v sha="$sha_rate" -v taes="$together_aes" -v tsha="$together_sha" -v rs="$read_seconds" -v oread="${our_read:-0}" \
    -v bf="${best_before:-0}" -v bfrss="${best_before_rss:-0}" 'BEGIN {
    read_rate = bytes/1048576/rs
    limit = taes; if (tsha < limit) limit = tsha; if (read_rate < limit) limit = read_rate
    printf "ours (tar+aes+sha512): %.2f s, %.0f MiB/s, peak RSS %.1f MiB\n", o, bytes/1048576/o, orss/1024
    printf "tar | openssl enc:     %.2f s, %.0f MiB/s, peak RSS %.1f MiB\n", b, bytes/1048576/b, brss/1024
    printf "ratio (openssl time / ours): %.2fx\n", b/o
    if (bf > 0) printf "before (BEFORE): %.2f s, %.0f MiB/s, peak RSS %.1f MiB; ratio %.2fx; before / ours time %.2f\n", bf, bytes/1048576/bf, bfrss/1024, b/bf, bf/o
    printf "limit: AES-256-CBC %.0f MiB/s and SHA-512 %.0f MiB/s on two threads at once (alone: %.0f and %.0f), read (tar | wc) %.0f MiB/s -> %.0f MiB/s\n", taes, tsha, aes, sha, read_rate, limit
    printf "ours / limit: %.2f; tar | openssl / AES alone: %.2f (it does AES only, we do AES and SHA-512)\n", bytes/1048576/o/limit, bytes/1048576/b/aes
    if (oread > 0) {
        bound = 2 / (1/taes + 1/tsha + 1/oread); if (limit < bound) bound = limit
        printf "2-core bound: AES + SHA-512 + our read of the tree (%.0f MiB/s on one thread) on 2 cores -> %.0f MiB/s; ours / 2-core bound: %.2f\n", oread, bound, bytes/1048576/o/bound
    }
}'
echo "uptime at end: $(uptime)"
