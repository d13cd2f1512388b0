#!/usr/bin/env bash
# Full mutual-TLS handshakes: Vigil's gateway against nginx (one worker) with
# `ssl_verify_client on`, both pinned to CPU 0, with ECDSA P-256 server certificates and the
# same device certificates from Vigil's CA, session resumption off on both (Vigil never resumes;
# nginx is told `ssl_session_cache off; ssl_session_tickets off`). bench/loadgen on CPU 1 keeps
# CONNECTIONS (default 32) connections cycling: connect, full handshake, GET /v1/config (nginx
# answers Vigil's own config body), close. Alternated PAIRS times (default 3), DURATION seconds
# each (default 10), after a warm-up. Prints handshakes/s and handshakes per server CPU-second,
# and the median ratios. Goal: vigil/nginx >= 1.0 per server CPU-second.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=bench/gateway-lib.sh
source "$(dirname "$0")/gateway-lib.sh"

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
DEVICES=${DEVICES:-$CONNECTIONS}
for f in "$VIGIL" "$AGENT" "$LOADGEN"; do need_file "$f"; done
for tool in nginx openssl curl taskset python3; do need_tool "$tool"; done

tmp=$(mktemp -d -t vigil-bench-handshake.XXXXXX)
nginx_pid=""
cleanup() {
  [ -n "$VIGIL_PID" ] && stop_pid "$VIGIL_PID" 30
  [ -n "$nginx_pid" ] && stop_pid "$nginx_pid" 30
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_vigil_gateway
enroll_devices
make_reference_certificate
config=$(curl -sf --cacert "$tmp/vigil-root.pem" --cert "$tmp/ids/pump-000.crt" \
  --key "$tmp/ids/pump-000.key" "https://127.0.0.1:$GATEWAY_PORT/v1/config") ||
  die "cannot read /v1/config from the gateway"

# --- nginx: client certificates from Vigil's device CA required ---
nginx_port=$(free_port)
mkdir -p "$tmp/nginx"
{
  nginx_preamble "$tmp/nginx"
  cat <<CONF
  server {
    listen 127.0.0.1:$nginx_port ssl;
    ssl_certificate $tmp/ref/server.crt;
    ssl_certificate_key $tmp/ref/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_client_certificate $tmp/vigil-chain.pem;
    ssl_verify_client on;
    ssl_verify_depth 2;
    ssl_session_cache off;
    ssl_session_tickets off;
    location = /v1/config {
      default_type application/json;
      return 200 '$config';
    }
  }
}
CONF
} >"$tmp/nginx/nginx.conf"
start_nginx "$tmp/nginx"
nginx_pid=$NGINX_PID
nginx_get() {
  curl -sf --cacert "$tmp/ref/ca.pem" --cert "$tmp/ids/pump-000.crt" --key "$tmp/ids/pump-000.key" \
    "https://127.0.0.1:$nginx_port/v1/config"
}
for ((i = 0; i < 100; i++)); do
  nginx_get >/dev/null 2>&1 && break
  kill -0 "$nginx_pid" 2>/dev/null || die "nginx exited: $(cat "$tmp/nginx/nginx.out" "$tmp/nginx/logs/error.log")"
  sleep 0.1
done
[ "$(nginx_get)" = "$config" ] || die "nginx does not answer Vigil's config: $(cat "$tmp/nginx/logs/error.log")"
# No certificate, no answer: the requirement is really on.
if curl -sf --cacert "$tmp/ref/ca.pem" "https://127.0.0.1:$nginx_port/v1/config" >/dev/null 2>&1; then
  die "nginx answered without a client certificate"
fi

common=(--connections "$CONNECTIONS" --identities "$tmp/ids" --seconds)
nginx_run() { measure nginx "$nginx_pid" handshake --port "$nginx_port" --ca "$tmp/ref/ca.pem" "${common[@]}" "$1"; }
vigil_run() { measure vigil "$VIGIL_PID" handshake --port "$GATEWAY_PORT" --ca "$tmp/vigil-root.pem" "${common[@]}" "$1"; }

echo "handshakes: nginx $(nginx -v 2>&1 | sed 's/.*\///') (1 worker) vs vigil gateway, servers on" \
  "CPU 0, loadgen on CPU ${LOADGEN_CPUS:-1}, $CONNECTIONS connections, ${DURATION}s runs"
nginx_run 2
vigil_run 2

ratios=()
cpu_ratios=()
for ((pair = 1; pair <= PAIRS; pair++)); do
  nginx_run "$DURATION"
  n_rate=$RATE n_cpu=$PER_CPU
  vigil_run "$DURATION"
  v_rate=$RATE v_cpu=$PER_CPU
  ratios+=("$(ratio "$v_rate" "$n_rate")")
  cpu_ratios+=("$(ratio "$v_cpu" "$n_cpu")")
  printf 'pair %d  nginx %6d handshakes/s %6d per cpu-s  vigil %6d handshakes/s %6d per cpu-s\n' \
    "$pair" "$n_rate" "$n_cpu" "$v_rate" "$v_cpu"
done
echo "median ratio vigil/nginx $(median "${cpu_ratios[@]}") per server CPU-second (goal >= 1.0); $(median "${ratios[@]}") handshakes/s"
