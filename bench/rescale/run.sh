#!/usr/bin/env bash
# Rescale-path benchmark (not part of the test suite), against the emulator (`rescale-sim`) on 127.0.0.1:
#   1. the stage-by-stage time of one workflow of SIZE_MIB (default 1024) of input through `rescale-int run
#      --platform rescale --json`, with MiB/s for the data stages;
#   2. the submission rate against the bound, in process (`rescale-bench submit`, as SubmitRateTests);
#   3. upload and download of one SIZE_MIB file through the emulator's S3 side with its issued credentials,
#      `storage-bench` (our S3Client) against `aws s3 cp` with the same part size and concurrency, as aws/ours
#      (each side twice, the best compared), beside the emulator's own S3 ceiling: one SigV4 PUT and one GET of the
#      same size with curl, also twice (the best is the ceiling), as ours/ceiling;
#   4. one SIZE_MIB file in the legacy v1 format (LEGACY_PART_MIB parts) through `rescale-int files download`:
#      time and peak RSS, beside `aws s3 cp` of its ciphertext.
# Knobs: SIZE_MIB, OUT_MIB (the job's output, default SIZE_MIB/4), COMPRESSION (the input archive's: none, gzip or
# zstd; default none), PART_MIB (16), WINDOW (4), SUBMISSIONS (200),
# RATE_SCALE (45), SUBMIT_CONCURRENCY (16), TIME_SCALE (100), POLL_INTERVAL (0.5), CEILING_MIB (SIZE_MIB),
# STEP_TIMEOUT (seconds per step, 900), BUILD_TIMEOUT (seconds per build, 3600), SECTIONS ("workflow submit storage
# legacy"), LEGACY_PART_MIB (64),
# BIN_DIR (a directory holding the four binaries to use instead of building them).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=bench/rescale

size_mib=${SIZE_MIB:-1024}
out_mib=${OUT_MIB:-$((size_mib / 4))}
part_mib=${PART_MIB:-16}
window=${WINDOW:-4}
compression=${COMPRESSION:-none}
submissions=${SUBMISSIONS:-200}
rate_scale=${RATE_SCALE:-45}
submit_concurrency=${SUBMIT_CONCURRENCY:-16}
time_scale=${TIME_SCALE:-100}
poll_interval=${POLL_INTERVAL:-0.5}
ceiling_mib=${CEILING_MIB:-$size_mib}
step_timeout=${STEP_TIMEOUT:-900}
build_timeout=${BUILD_TIMEOUT:-3600}
sections=${SECTIONS:-workflow submit storage legacy}

# Everything talks to 127.0.0.1: a proxy from the environment must not get in the way (our HTTP client honours
# HTTPS_PROXY but not NO_PROXY).
unset HTTPS_PROXY https_proxy HTTP_PROXY http_proxy ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1

echo "uptime at start: $(uptime)"
# CONFIG=debug uses the test build's binaries as they are (no release build; slower, so say so beside its figures).
if [ -n "${BIN_DIR:-}" ]; then
    bin=$(cd "$BIN_DIR" && pwd) # binaries built before (say, main's, for a before/after pair), used as they are
elif [ "${CONFIG:-release}" = debug ]; then
    # The test build's flags, so its objects are reused (scripts/test leaves the benches out of its build).
    for product in rescale-int rescale-sim storage-bench rescale-bench; do
        timeout "$build_timeout" swift build --product "$product" -Xswiftc -warnings-as-errors -Xswiftc -gnone -Xcc -g0 -Xswiftc -use-ld=lld >/dev/null
    done
    bin=.build/debug
else
    for product in rescale-int rescale-sim storage-bench rescale-bench; do
        timeout "$build_timeout" swift build -j 1 -c release --product "$product" >/dev/null
    done
    bin="$(swift build -c release --show-bin-path)"
fi
echo "binaries: $bin"

work=$(mktemp -d "${TMPDIR:-/tmp}/rescale-bench.XXXXXX")
sim_pid=""
stop_sim() {
    if [ -n "$sim_pid" ]; then
        exec 3>&- || true
        kill "$sim_pid" 2>/dev/null || true
        wait "$sim_pid" 2>/dev/null || true
        sim_pid=""
    fi
}
cleanup() {
    stop_sim
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

api_key="rescale-bench-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# Starts the emulator with its storage in memory and sets sim_url. Its stdin is a FIFO this shell holds open on fd 3:
# however the script ends, the emulator sees end of file and exits (--exit-on-stdin-eof).
start_sim() {
    rm -f "$work/sim.in"
    mkfifo "$work/sim.in"
    mkdir -p "$work/sim-jobs"
    "$bin/rescale-sim" --port 0 --api-key "$api_key" --storage s3 --time-scale "$time_scale" \
        --credential-lifetime 7200 --work-root "$work/sim-jobs" --exit-on-stdin-eof \
        <"$work/sim.in" >"$work/sim.out" 2>"$work/sim.err" &
    sim_pid=$!
    exec 3>"$work/sim.in"
    sim_url=""
    for _ in $(seq 1 300); do
        sim_url=$(sed -n 's|^rescale-sim listening on \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' "$work/sim.out")
        [ -n "$sim_url" ] && break
        kill -0 "$sim_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$sim_url" ]; then
        echo "rescale-sim did not start: $(cat "$work/sim.out" "$work/sim.err")" >&2
        exit 1
    fi
}

api() { curl -fsS --max-time 60 -H "Authorization: Token $api_key" "$@"; }
now() { date +%s.%N; }
bounded() { timeout "$step_timeout" "$@"; }
timed() { local t0; t0=$(now); timeout "$step_timeout" "$@" >/dev/null; python3 -c "print(f'{$(now) - $t0:.2f}')"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }

# --- 1. one workflow through the emulator, stage by stage ----------------------------------------------------------
workflow_section() {
    local spec="$work/workflow" large small_count small_kib large_bytes i
    mkdir -p "$spec/data/small"
    # A few large files and some small ones: 4 large files hold all but the small files' share.
    small_count=$((size_mib < 256 ? size_mib : 256))
    small_kib=64
    large_bytes=$(((size_mib * 1048576 - small_count * small_kib * 1024) / 4))
    for i in 1 2 3 4; do bounded head -c "$large_bytes" /dev/urandom >"$spec/data/large-$i.bin"; done
    for i in $(seq 1 "$small_count"); do
        bounded head -c $((small_kib * 1024)) /dev/urandom >"$spec/data/small/s-$i.bin"
    done
    local input_bytes input_files
    input_bytes=$(find "$spec/data" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
    input_files=$(find "$spec/data" -type f | wc -l)
    cat >"$spec/workflow.yaml" <<EOF
version: 1
name: rescale-bench
platform: rescale
defaults:
  walltime: 1h
  outputs:
    destination: "results/{job}"
jobs:
  - name: bench
    inputs:
      - directory: data
        compression: $compression
    command: "head -c $((out_mib * 1048576)) /dev/urandom > output.bin && find data -type f | wc -l > listing.txt"
EOF
    start_sim
    local t0 t1 status=0
    t0=$(now)
    (
        cd "$spec"
        env -u AWS_ENDPOINT_URL -u AWS_ENDPOINT_URL_S3 RESCALE_API_URL="$sim_url" RESCALE_API_KEY="$api_key" \
            RESCALE_PROFILE="" XDG_CONFIG_HOME="$work/config" HOME="$work/home" \
            timeout "$step_timeout" /usr/bin/time -v -o "$work/run.rss" "$bin/rescale-int" run workflow.yaml \
            --platform rescale --insecure-api-host --json --poll-interval "$poll_interval" 2>"$work/run.err" |
            python3 -u -c '
import sys, time
for line in iter(sys.stdin.buffer.readline, b""):
    sys.stdout.write(f"{time.time():.6f}\t{line.decode().rstrip()}\n")
' >"$work/events.tsv"
    ) || status=$?
    t1=$(now)
    stop_sim
    if [ "$status" -ne 0 ]; then
        echo "rescale-int run failed (exit $status):" >&2
        tail -20 "$work/run.err" >&2
        tail -5 "$work/events.tsv" >&2
        exit 1
    fi
    local results="$spec/results/bench"
    [ "$(stat -c %s "$results/output.bin")" -eq $((out_mib * 1048576)) ] || {
        echo "output.bin has the wrong size" >&2
        exit 1
    }
    [ "$(tr -d ' \n' <"$results/listing.txt")" -eq "$input_files" ] || {
        echo "the job saw $(cat "$results/listing.txt") input files, not $input_files" >&2
        exit 1
    }
    local output_bytes
    output_bytes=$(find "$results" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
    echo
    echo "== 1. workflow through the emulator: $input_files input files ($((input_bytes / 1048576)) MiB," \
        "compression $compression), job output $((output_bytes / 1048576)) MiB, time scale $time_scale, poll interval $poll_interval s"
    python3 "$here/stages.py" "$work/events.tsv" "$t0" "$t1" "$input_bytes" "$output_bytes" "$(rss "$work/run.rss")"
}

# --- 2. submission rate against the bound ----------------------------------------------------------------------------
submit_section() {
    echo
    echo "== 2. submission rate (in-process emulator, client and emulator rates both scaled by $rate_scale)"
    timeout "$step_timeout" "$bin/rescale-bench" submit "$submissions" "$rate_scale" "$submit_concurrency"
}

# --- 3. one file through the emulator's S3 side: ours against aws s3 cp ---------------------------------------------
# sim_storage: the user's storage credentials from the emulator (sets access, secret, token, endpoint, bucket, base
# and me, the user's record), exported for the AWS CLI, which is set to the bench's part size and concurrency.
sim_storage() {
    local credentials
    credentials=$(api -X POST "$sim_url/api/v3/credentials/")
    me=$(api "$sim_url/api/v3/users/me/")
    read -r access secret token endpoint < <(python3 -c '
import json, sys
c = json.loads(sys.argv[1])
print(c["accessKey"], c["secretKey"], c["sessionToken"], c["endpoint"])' "$credentials")
    read -r bucket base < <(python3 -c '
import json, sys
s = json.loads(sys.argv[1])["defaultStorage"]["connectionSettings"]
print(s["container"], s["pathBase"].strip("/"))' "$me")
    export AWS_ACCESS_KEY_ID="$access" AWS_SECRET_ACCESS_KEY="$secret" AWS_SESSION_TOKEN="$token"
    export AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL="$endpoint"
    export AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-credentials"
    bounded aws configure set default.s3.multipart_chunksize "${part_mib}MB"
    bounded aws configure set default.s3.multipart_threshold "${part_mib}MB"
    bounded aws configure set default.s3.max_concurrent_requests "$window"
    bounded aws configure set default.s3.addressing_style path
}

storage_section() {
    start_sim
    sim_storage

    bounded head -c $((size_mib * 1048576)) /dev/urandom >"$work/input.bin"
    bounded head -c $((ceiling_mib * 1048576)) "$work/input.bin" >"$work/ceiling.bin"
    local part=$((part_mib * 1048576)) url="$endpoint/$bucket/$base/bench"
    # The ceiling: one SigV4-signed PUT and one GET of CEILING_MIB with curl (an unsigned `curl -T` is refused; the
    # emulator takes up to 5 GiB in one request body, as S3). curl 7.88 sends no x-amz-content-sha256 of its own;
    # given one, it signs it, so the body goes unhashed. curl's own `Expect: 100-continue` is kept: the emulator
    # answers it at once.
    local sign=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "$access:$secret" -H "x-amz-security-token: $token"
        -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")
    local ceiling_up=99999 ceiling_down=99999 ceiling_durable disk t0 t round
    # Twice, as each side below: this VM's first touch of fresh page-cache memory makes one PUT's CPU time swing
    # from 0.9 to 4.3 s (copy_folio_from_iter_atomic, 45 % of the emulator's samples), the curl PUT's and ours alike.
    for round in 1 2; do
        t=$(timed curl -fsS "${sign[@]}" -T "$work/ceiling.bin" "$url/ceiling.bin")
        echo "round $round: ceiling PUT $t s" >&2
        ceiling_up=$(python3 -c "print(min(float('$ceiling_up'), float('$t')))")
        t=$(timed curl -fsS "${sign[@]}" -o "$work/ceiling.out" "$url/ceiling.bin")
        echo "round $round: ceiling GET $t s" >&2
        ceiling_down=$(python3 -c "print(min(float('$ceiling_down'), float('$t')))")
        bounded cmp "$work/ceiling.bin" "$work/ceiling.out"
        rm -f "$work/ceiling.out"
    done
    # The same GET made durable (fdatasync of the file at its end), as our downloader makes every byte durable
    # before it reports it: past the page cache's dirty limit (about 1 GiB here) this, not the emulator, is the
    # ceiling. And the disk's own rate for the size: written and synced with dd.
    t0=$(now)
    bounded curl -fsS "${sign[@]}" -o "$work/ceiling.out" "$url/ceiling.bin"
    bounded sync --data "$work/ceiling.out"
    ceiling_durable=$(python3 -c "print(f'{$(now) - $t0:.2f}')")
    rm -f "$work/ceiling.out"
    disk=$(timed dd if="$work/ceiling.bin" of="$work/disk.out" bs=4M conv=fdatasync status=none)
    rm -f "$work/disk.out"
    bounded aws s3 rm --only-show-errors "s3://$bucket/$base/bench/ceiling.bin"

    local ours_up=99999 aws_up=99999 ours_down=99999 aws_down=99999 aws_start round t
    aws_start=$(timed aws --version)
    best() { python3 -c "print(min(float('$1'), float('$2')))"; }
    # Each side twice, alternating; the best of each is compared (botocore sends `Expect: 100-continue` on every
    # part, which the emulator answers at once).
    for round in 1 2; do
        t=$(timed /usr/bin/time -v -o "$work/up$round.rss" "$bin/storage-bench" upload "$endpoint" "$bucket" \
            "$base/bench/ours.bin" "$work/input.bin" "$part" "$window")
        echo "round $round: upload ours $t s" >&2
        ours_up=$(best "$ours_up" "$t")
        t=$(timed aws s3 cp --only-show-errors "$work/input.bin" "s3://$bucket/$base/bench/aws.bin")
        echo "round $round: upload aws $t s" >&2
        aws_up=$(best "$aws_up" "$t")
        t=$(timed /usr/bin/time -v -o "$work/down$round.rss" "$bin/storage-bench" download "$endpoint" "$bucket" \
            "$base/bench/ours.bin" "$work/ours.out" "$part" "$window")
        echo "round $round: download ours $t s" >&2
        ours_down=$(best "$ours_down" "$t")
        bounded cmp "$work/input.bin" "$work/ours.out"
        rm -f "$work/ours.out"
        t=$(timed aws s3 cp --only-show-errors "s3://$bucket/$base/bench/aws.bin" "$work/aws.out")
        echo "round $round: download aws $t s" >&2
        aws_down=$(best "$aws_down" "$t")
        bounded cmp "$work/input.bin" "$work/aws.out"
        rm -f "$work/aws.out"
    done
    local rss_up rss_down
    rss_up=$(python3 -c "print(max($(rss "$work/up1.rss"), $(rss "$work/up2.rss")))")
    rss_down=$(python3 -c "print(max($(rss "$work/down1.rss"), $(rss "$work/down2.rss")))")
    stop_sim
    if [ -s "$work/sim.err" ]; then
        echo "rescale-sim wrote to stderr:" >&2
        cat "$work/sim.err" >&2
    fi

    echo
    echo "== 3. one file through the emulator's S3 side (issued credentials with a session token)"
    python3 - "$size_mib" "$part_mib" "$window" "$ceiling_mib" "$ceiling_up" "$ceiling_down" "$ours_up" "$aws_up" \
        "$ours_down" "$aws_down" "$aws_start" "$rss_up" "$rss_down" "$ceiling_durable" "$disk" <<'PY'
import sys
(size, part, window, ceiling, c_up, c_down, ours_up, aws_up, ours_down, aws_down, aws_start, rss_up,
 rss_down, c_durable, disk) = sys.argv[1:]
f = float
mib = f(size)
def rate(megabytes, seconds):
    return f"{megabytes / max(f(seconds), 1e-9):7.1f} MiB/s"
print(f"file {size} MiB, part {part} MiB, {window} concurrent requests, downloads checked with cmp")
print(f"(a) emulator ceiling, one SigV4 curl request of {ceiling} MiB, best of two: PUT {f(c_up):6.2f} s "
      f"{rate(f(ceiling), c_up)}"
      f"   GET {f(c_down):6.2f} s {rate(f(ceiling), c_down)}")
print(f"    GET made durable (curl, then fdatasync): {f(c_durable):6.2f} s {rate(f(ceiling), c_durable)}"
      f"   the disk alone (dd conv=fdatasync): {f(disk):6.2f} s {rate(f(ceiling), disk)}")
rows = [("(b) upload  ", ours_up, aws_up, c_up), ("(c) download", ours_down, aws_down, c_down)]
for name, ours, aws, ceiling_time in rows:
    ratio = f(aws) / max(f(ours), 1e-9)
    of_ceiling = (mib / f(ours)) / (f(ceiling) / max(f(ceiling_time), 1e-9))
    print(f"{name} ours {f(ours):6.2f} s {rate(mib, ours)}   aws s3 cp {f(aws):6.2f} s {rate(mib, aws)}"
          f"   aws/ours {ratio:.2f}x {'(>= 2x)' if ratio >= 2 else '(below 2x)'}   ours/ceiling {of_ceiling:.2f}")
# Ours syncs what it downloads (a checkpoint never claims a byte that is not durable); aws s3 cp and the plain
# GET leave it in the page cache. Against the same work, durable:
of_durable = (mib / f(ours_down)) / (f(ceiling) / max(f(c_durable), 1e-9))
print(f"    download ours / the durable GET ceiling: {of_durable:.2f}")
print(f"    aws's own start-up (aws --version) takes {f(aws_start):.2f} s of each aws time: small files favour us")
print(f"peak RSS ours: upload {rss_up} MiB, download {rss_down} MiB")
PY
}

# --- 4. a file Interlink 3.1 uploaded (legacy v1, a key per part) downloaded ---------------------------------------
# The object is made here without our code: HKDF-SHA256 in Python, each part encrypted by `openssl enc`; it is put
# in the emulator's storage with `aws s3 cp` and registered with curl. `rescale-int files download` reads it in 8 MiB
# ranges whatever its part size (LEGACY_PART_MIB, default 64, v1's largest), so its peak RSS must not grow with the
# part size: it is printed beside the 128 MiB bound and beside `aws s3 cp` fetching the same ciphertext (which
# decrypts nothing).
legacy_section() {
    start_sim
    local legacy_part_mib=${LEGACY_PART_MIB:-64}
    sim_storage

    bounded head -c $((size_mib * 1048576)) /dev/urandom >"$work/legacy.bin"
    local made
    made=$(bounded python3 - "$work/legacy.bin" "$work/legacy.v1" "$((legacy_part_mib * 1048576))" <<'PY'
import base64, hashlib, hmac, os, subprocess, sys
source, target, part = sys.argv[1], sys.argv[2], int(sys.argv[3])
key, file_id = os.urandom(32), os.urandom(32)
def hkdf(index):
    prk = hmac.new(b"\0" * 32, key, hashlib.sha256).digest()  # an empty salt is 32 zero bytes
    info = file_id + index.to_bytes(8, "little")
    okm, block, counter = b"", b"", 1
    while len(okm) < 48:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        okm += block
        counter += 1
    return okm[:32], okm[32:48]
digest = hashlib.sha512()
with open(source, "rb") as plain, open(target, "wb") as out:
    index = 0
    while True:
        chunk = plain.read(part)
        if not chunk and index > 0:
            break
        digest.update(chunk)
        part_key, part_iv = hkdf(index)
        out.write(subprocess.run(["openssl", "enc", "-aes-256-cbc", "-K", part_key.hex(), "-iv", part_iv.hex()],
                                 input=chunk, capture_output=True, check=True).stdout)
        index += 1
        if len(chunk) < part:
            break
print(base64.b64encode(key).decode(), base64.b64encode(file_id).decode(), digest.hexdigest(), os.path.getsize(source))
PY
)
    local key file_id sha size
    read -r key file_id sha size <<<"$made"
    local object_path="$base/bench/legacy-v1.bin"
    bounded aws s3 cp --only-show-errors "$work/legacy.v1" "s3://$bucket/$object_path" \
        --metadata "formatversion=1,fileid=$file_id,partsize=$((legacy_part_mib * 1048576))"
    local registration file_id_registered
    registration=$(python3 -c '
import json, sys
me, bucket, path, key, size, sha = sys.argv[1:]
storage = json.loads(me)["defaultStorage"]
print(json.dumps({"typeId": 1, "name": "legacy-v1.bin", "encodedEncryptionKey": key,
    "pathParts": {"container": bucket, "path": path}, "storage": storage, "isUploaded": True,
    "decryptedSize": int(size), "fileChecksums": [{"hashFunction": "sha512", "fileHash": sha}]}))' \
        "$me" "$bucket" "$object_path" "$key" "$size" "$sha")
    file_id_registered=$(api -X POST -H "Content-Type: application/json" -d "$registration" \
        "$sim_url/api/v3/files/" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')

    local ours=99999 aws=99999 rss_max=0 round t
    best() { python3 -c "print(min(float('$1'), float('$2')))"; }
    for round in 1 2; do
        t=$(RESCALE_API_URL="$sim_url" RESCALE_API_KEY="$api_key" RESCALE_INSECURE_API_HOST=1 \
            timed /usr/bin/time -v -o "$work/legacy$round.rss" "$bin/rescale-int" files download \
            "$file_id_registered" --output "$work/legacy.out")
        echo "round $round: legacy download ours $t s" >&2
        ours=$(best "$ours" "$t")
        bounded cmp "$work/legacy.bin" "$work/legacy.out"
        rm -f "$work/legacy.out"
        rss_max=$(python3 -c "print(max($rss_max, $(rss "$work/legacy$round.rss")))")
        t=$(timed aws s3 cp --only-show-errors "s3://$bucket/$object_path" "$work/legacy.aws")
        echo "round $round: legacy download aws $t s" >&2
        aws=$(best "$aws" "$t")
        bounded cmp "$work/legacy.v1" "$work/legacy.aws"
        rm -f "$work/legacy.aws"
    done
    stop_sim
    if [ -s "$work/sim.err" ]; then
        echo "rescale-sim wrote to stderr:" >&2
        cat "$work/sim.err" >&2
    fi
    echo
    echo "== 4. a legacy v1 file ($size_mib MiB in parts of $legacy_part_mib MiB) downloaded, decrypted and checked"
    python3 - "$size_mib" "$ours" "$aws" "$rss_max" <<'PY'
import sys
size, ours, aws, rss = (float(x) for x in sys.argv[1:])
print(f"rescale-int files download {ours:6.2f} s {size / ours:7.1f} MiB/s   aws s3 cp of the ciphertext {aws:6.2f} s"
      f" {size / aws:7.1f} MiB/s   aws/ours {aws / ours:.2f}x")
print(f"peak RSS ours {rss:.1f} MiB ({'within' if rss <= 128 else 'above'} the 128 MiB bound)")
PY
}

for section in $sections; do
    case "$section" in
    workflow) workflow_section ;;
    submit) submit_section ;;
    storage) storage_section ;;
    legacy) legacy_section ;;
    *)
        echo "unknown section '$section' (use workflow, submit, storage, legacy)" >&2
        exit 64
        ;;
    esac
done
echo
echo "uptime at end: $(uptime)"
