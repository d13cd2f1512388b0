#!/usr/bin/env bash
# HTTPS keep-alive requests: nginx (one worker process) against `vigil serve` (VIGIL_THREADS=1),
# both on 127.0.0.1 with the same ECDSA certificate and key (the one vigil creates under
# <data dir>/tls/), TLS 1.2 and 1.3, access logs off, answering GET /healthz with the same body
# and security headers. Each server is pinned to CPU 0; wrk -t2 -c64 runs on both CPUs (set
# WRK_CPUS=1 to pin it to CPU 1: wrk then becomes the bottleneck near 16k requests/s). The two
# are alternated PAIRS times (default 3), DURATION each (default 10s), after a short warm-up.
# Prints requests/s, server CPU milliseconds per 1000 requests (utime+stime from /proc/PID/stat
# before and after, all of the server's processes) and the median ratio. Goal: >= 0.8.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

VIGIL=$BUILD/apps/vigil/vigil
DURATION=${DURATION:-10s}
WRK_CPUS=${WRK_CPUS:-}
need_file "$VIGIL"
for tool in nginx wrk curl taskset python3; do need_tool "$tool"; done

tmp=$(mktemp -d -t vigil-bench-healthz.XXXXXX)
vigil_pid=""
nginx_pid=""
wrk_pid=""
cleanup() {
  [ -n "$wrk_pid" ] && stop_pid "$wrk_pid" 10
  [ -n "$vigil_pid" ] && stop_pid "$vigil_pid" 30
  [ -n "$nginx_pid" ] && stop_pid "$nginx_pid" 30
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# run_wrk NAME PID URL: one wrk run against the server PID; sets RPS (requests/s) and CPU_MS
# (server CPU milliseconds per 1000 requests). wrk runs in the background so that a signal
# stops the script (and wrk, in cleanup) at once.
run_wrk() {
  local name=$1 pid=$2 url=$3 before after out requests pin=()
  [ -n "$WRK_CPUS" ] && pin=(taskset -c "$WRK_CPUS")
  before=$(cpu_ticks "$pid")
  "${pin[@]}" timeout 120 wrk -t2 -c64 -d"$DURATION" "$url" >"$tmp/wrk.out" 2>&1 &
  wrk_pid=$!
  wait "$wrk_pid" || die "wrk against $name failed: $(cat "$tmp/wrk.out")"
  wrk_pid=""
  after=$(cpu_ticks "$pid")
  out=$(<"$tmp/wrk.out")
  if grep -q 'Non-2xx' <<<"$out"; then die "$name answered errors: $out"; fi
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  RPS=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  if [ -z "$requests" ] || [ -z "$RPS" ]; then die "cannot read wrk's output: $out"; fi
  CPU_MS=$(awk -v n="$requests" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.2f", (n > 0 ? t / hz * 1000 / (n / 1000) : 0) }')
}

# --- vigil serve ---
mkdir -p "$tmp/data"
printf '[server]\nthreads = 1\naccess_log = false\n' >"$tmp/data/vigil.toml"
VIGIL_THREADS=1 taskset -c 0 "$VIGIL" serve --data-dir "$tmp/data" --listen 127.0.0.1:0 --gateway-listen 127.0.0.1:0 \
  >"$tmp/vigil.out" 2>&1 &
vigil_pid=$!
wait_for_line "$tmp/vigil.out" "Stop with Ctrl-C" 60 "$vigil_pid"
vigil_port=$(grep -o 'is serving https://[^:]*:[0-9]*' "$tmp/vigil.out" | head -1 | sed 's/.*://')
[ -n "$vigil_port" ] || die "cannot read vigil's port: $(cat "$tmp/vigil.out")"
vigil_url="https://127.0.0.1:$vigil_port/healthz"

# --- nginx, same certificate ---
nginx_port=$(free_port)
mkdir -p "$tmp/nginx"
{
  nginx_preamble "$tmp/nginx"
  cat <<CONF
  # Like vigil, keep a connection for as long as the client wants it (nginx's default closes
  # it after 1000 requests, which would add a TLS handshake per 1000 requests).
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port ssl;
    ssl_certificate $tmp/data/tls/server.crt;
    ssl_certificate_key $tmp/data/tls/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location = /healthz {
      default_type application/json;
      add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;
      add_header X-Content-Type-Options nosniff always;
      add_header X-Frame-Options DENY always;
      add_header Content-Security-Policy "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'" always;
      add_header Referrer-Policy no-referrer always;
      add_header Cache-Control no-store always;
      return 200 '{"status":"ok"}';
    }
  }
}
CONF
} >"$tmp/nginx/nginx.conf"
start_nginx "$tmp/nginx"
nginx_pid=$NGINX_PID
nginx_url="https://127.0.0.1:$nginx_port/healthz"
for ((i = 0; i < 600; i++)); do
  curl -skf -o /dev/null "$nginx_url" && break
  kill -0 "$nginx_pid" 2>/dev/null || die "nginx exited: $(cat "$tmp/nginx/nginx.out" "$tmp/nginx/logs/error.log")"
  sleep 0.1
done
curl -skf -o /dev/null "$nginx_url" || die "nginx not answering on $nginx_url within 60s"

# Same answer from both (body and status), shown once.
for url in "$nginx_url" "$vigil_url"; do
  body=$(curl -sk --max-time 10 "$url")
  [ "$body" = '{"status":"ok"}' ] || die "$url answered '$body'"
done
echo "healthz: nginx $(nginx -v 2>&1 | sed 's/.*\///') (1 worker) vs vigil (VIGIL_THREADS=1), servers on CPU 0, wrk -t2 -c64 -d$DURATION on CPUs ${WRK_CPUS:-0-1}"
echo "response bytes: nginx $(curl -sk -D - -o /dev/null "$nginx_url" | wc -c)+15, vigil $(curl -sk -D - -o /dev/null "$vigil_url" | wc -c)+15 (headers+body)"

DURATION_SAVED=$DURATION
DURATION=2s
run_wrk nginx "$nginx_pid" "$nginx_url"
run_wrk vigil "$vigil_pid" "$vigil_url"
DURATION=$DURATION_SAVED

ratios=()
cpu_ratios=()
for ((pair = 1; pair <= PAIRS; pair++)); do
  run_wrk nginx "$nginx_pid" "$nginx_url"
  a_rps=$RPS a_cpu=$CPU_MS
  run_wrk vigil "$vigil_pid" "$vigil_url"
  b_rps=$RPS b_cpu=$CPU_MS
  r=$(ratio "$b_rps" "$a_rps")
  rc=$(ratio "$a_cpu" "$b_cpu")
  ratios+=("$r")
  cpu_ratios+=("$rc")
  printf 'pair %d  nginx %7d req/s %6.1f cpu-ms/1000  vigil %7d req/s %6.1f cpu-ms/1000  ratio %s  (cpu ratio %s)\n' \
    "$pair" "$a_rps" "$a_cpu" "$b_rps" "$b_cpu" "$r" "$rc"
done
echo "median ratio vigil/nginx $(median "${ratios[@]}") req/s (goal >= 0.8); by server CPU per request (nginx/vigil) $(median "${cpu_ratios[@]}")"
