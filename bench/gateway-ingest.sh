#!/usr/bin/env bash
# Device telemetry ingest: Vigil's gateway (POST /v1/telemetry over keep-alive mutual TLS, every
# answer a committed SQLite transaction) against Mosquitto 2.0 (QoS 1 publishes over mutual TLS,
# persistence off: it acknowledges from memory and writes nothing to disk). Both servers are
# single-threaded network loops pinned to CPU 0 (Vigil also runs its ingest pool and store
# writer there); bench/loadgen drives CONNECTIONS (default 64) connections, one device
# certificate each, one request or publish in flight per connection, from CPU 1. Every body
# and payload is the same 200-byte JSON with one point. Both check client certificates against
# Vigil's device CA and its CRL. Alternated PAIRS times (default 3), DURATION seconds each
# (default 10), after a warm-up; a third run per pair sends BATCH points per request (default
# 100) to show what a device that batches gets. Prints messages/s and messages per server
# CPU-second for each, and the median ratios. Goal: vigil/mosquitto >= 1.0 on both.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=bench/gateway-lib.sh
source "$(dirname "$0")/gateway-lib.sh"

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
BATCH=${BATCH:-100}
DEVICES=$CONNECTIONS
for f in "$VIGIL" "$AGENT" "$LOADGEN"; do need_file "$f"; done
for tool in mosquitto openssl curl taskset python3; do need_tool "$tool"; done

tmp=$(mktemp -d -t vigil-bench-ingest.XXXXXX)
mosquitto_pid=""
cleanup() {
  [ -n "$VIGIL_PID" ] && stop_pid "$VIGIL_PID" 30
  [ -n "$mosquitto_pid" ] && stop_pid "$mosquitto_pid" 30
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_vigil_gateway
enroll_devices
make_reference_certificate

# --- mosquitto, same client certificates, same CA and CRL ---
mqtt_port=$(free_port)
cat >"$tmp/mosquitto.conf" <<CONF
user root
persistence false
log_dest stderr
log_type error
log_type warning
listener $mqtt_port 127.0.0.1
cafile $tmp/vigil-chain.pem
crlfile $tmp/crl.pem
certfile $tmp/ref/server.crt
keyfile $tmp/ref/server.key
require_certificate true
# Like Vigil, which sets TCP_NODELAY on every connection: small answers go out at once.
set_tcp_nodelay true
allow_anonymous true
CONF
taskset -c 0 mosquitto -c "$tmp/mosquitto.conf" >"$tmp/mosquitto.out" 2>&1 &
mosquitto_pid=$!
for ((i = 0; i < 100; i++)); do
  (exec 3<>"/dev/tcp/127.0.0.1/$mqtt_port") 2>/dev/null && break
  kill -0 "$mosquitto_pid" 2>/dev/null || die "mosquitto exited: $(cat "$tmp/mosquitto.out")"
  sleep 0.1
done

common=(--connections "$CONNECTIONS" --identities "$tmp/ids" --seconds)
mqtt() { measure mosquitto "$mosquitto_pid" mqtt --port "$mqtt_port" --ca "$tmp/ref/ca.pem" "${common[@]}" "$1"; }
vigil() {
  measure vigil "$VIGIL_PID" https --port "$GATEWAY_PORT" --ca "$tmp/vigil-root.pem" \
    --points "$2" "${common[@]}" "$1"
}

echo "ingest: mosquitto $(dpkg-query -W -f='${Version}' mosquitto 2>/dev/null) vs vigil gateway," \
  "servers on CPU 0, loadgen on CPU ${LOADGEN_CPUS:-1}, $CONNECTIONS devices, ${DURATION}s runs"
echo "body and payload: 200 bytes (one point of JSON, padded with spaces); batched requests: $BATCH points each"
mqtt 2
vigil 2 1

ratios=()
cpu_ratios=()
batch_ratios=()
for ((pair = 1; pair <= PAIRS; pair++)); do
  mqtt "$DURATION"
  m_rate=$RATE m_cpu=$PER_CPU
  vigil "$DURATION" 1
  v_rate=$RATE v_cpu=$PER_CPU
  vigil "$DURATION" "$BATCH"
  b_rate=$((RATE * BATCH)) b_cpu=$((PER_CPU * BATCH))
  ratios+=("$(ratio "$v_rate" "$m_rate")")
  cpu_ratios+=("$(ratio "$v_cpu" "$m_cpu")")
  batch_ratios+=("$(ratio "$b_rate" "$m_rate")")
  printf 'pair %d  mosquitto %6d msg/s %6d msg/cpu-s  vigil %6d msg/s %6d msg/cpu-s  vigil x%d %7d points/s %7d points/cpu-s\n' \
    "$pair" "$m_rate" "$m_cpu" "$v_rate" "$v_cpu" "$BATCH" "$b_rate" "$b_cpu"
done
echo "median ratio vigil/mosquitto $(median "${ratios[@]}") msg/s, $(median "${cpu_ratios[@]}") per server CPU-second (goal >= 1.0 each); batched x$BATCH: $(median "${batch_ratios[@]}") points/s"
