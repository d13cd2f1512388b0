#!/usr/bin/env bash
# Sealing small records: `openssl speed -evp aes-256-gcm` at 256 bytes against Vigil's
# KeyRing::Seal of a 200-byte record (random nonce, version header, AES-256-GCM, reader lock),
# both pinned to CPU 0, alternated PAIRS times (default 3). Both figures are operations per
# CPU-second (openssl speed counts user time; Google Benchmark's cpu_time). Goal: ratio of
# operations >= 0.8. As openssl's records are 256 bytes and Vigil's 200, the ratio of bytes
# (ops ratio x 200/256) is printed too: it is the stricter of the two.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

BENCH=$BUILD/src/crypto/crypto_bench
SECONDS_PER_RUN=${SECONDS_PER_RUN:-3}
FILTER='^BM_KeyRingSeal/200/threads:1$'
need_file "$BENCH"
need_tool openssl
need_tool taskset

openssl_ops() {
  # "Doing AES-256-GCM for 3s on 256 size blocks: 6712345 AES-256-GCM's in 2.99s"
  taskset -c 0 openssl speed -evp aes-256-gcm -bytes 256 -seconds "$SECONDS_PER_RUN" 2>&1 |
    awk '/^Doing .* on 256 size blocks:/ { n = $(NF - 3); t = $NF; sub(/s$/, "", t); printf "%.0f\n", n / t; found = 1 }
         END { exit !found }'
}

vigil_ops() {
  taskset -c 0 "$BENCH" --benchmark_filter="$FILTER" --benchmark_min_time="$SECONDS_PER_RUN" \
    --benchmark_format=json 2>/dev/null |
    python3 -c 'import json, sys
b = json.load(sys.stdin)["benchmarks"][0]
scale = {"ns": 1e9, "us": 1e6, "ms": 1e3, "s": 1}[b["time_unit"]]
print(round(scale / b["cpu_time"]))'
}

echo "seal: openssl speed -evp aes-256-gcm -bytes 256 vs crypto_bench $FILTER, ${SECONDS_PER_RUN}s each, taskset -c 0"
ratios=()
byte_ratios=()
for ((pair = 1; pair <= PAIRS; pair++)); do
  a=$(openssl_ops) || die "could not read openssl speed's output"
  b=$(vigil_ops) || die "could not read crypto_bench's output"
  r=$(ratio "$b" "$a")
  rb=$(ratio "$((b * 200))" "$((a * 256))")
  ratios+=("$r")
  byte_ratios+=("$rb")
  printf 'pair %d  openssl %9d ops/s  vigil %9d ops/s  ratio %s  (bytes %s)\n' \
    "$pair" "$a" "$b" "$r" "$rb"
done
echo "median ratio vigil/openssl $(median "${ratios[@]}") (goal >= 0.8); of bytes $(median "${byte_ratios[@]}")"
