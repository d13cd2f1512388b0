# shellcheck shell=bash disable=SC2034,SC2154  # Sets variables for the scripts that source it; uses their $tmp.
# Shared by bench/gateway-ingest.sh and bench/gateway-handshake.sh, after lib.sh: a `vigil serve`
# with its device gateway pinned to CPU 0, DEVICES devices enrolled by vigil-agent, and the
# certificates the reference servers use. Source it; do not run it. Expects $tmp (a temp dir the
# caller removes) and sets:
#   VIGIL_PID, GATEWAY_PORT   the server and its gateway's port
#   $tmp/ids/NN.crt, NN.key   each device's certificate (with the intermediate) and key
#   $tmp/vigil-root.pem       Vigil's device root: what the devices trust for the gateway
#   $tmp/vigil-chain.pem      root and intermediate: what a reference server trusts for devices
#   $tmp/crl.pem              the device CA's CRL from GET /v1/crl
#   $tmp/ref/ca.pem, server.crt, server.key   the references' root, chain and key (three levels)

VIGIL=$BUILD/apps/vigil/vigil
AGENT=$BUILD/apps/vigil-agent/vigil-agent
LOADGEN=$BUILD/bench/loadgen/loadgen
DEVICES=${DEVICES:-64}
VIGIL_PID=""

# start_vigil_gateway: serve with one network thread for each listener, on CPU 0, with the
# per-device rate limit out of the way (one device here sends thousands of requests a second).
start_vigil_gateway() {
  mkdir -p "$tmp/data"
  cat >"$tmp/data/vigil.toml" <<'TOML'
[server]
threads = 1
access_log = false
[gateway]
threads = 1
requests_per_second = 1000000
TOML
  VIGIL_THREADS=1 taskset -c 0 "$VIGIL" serve --data-dir "$tmp/data" --listen 127.0.0.1:0 \
    --gateway-listen 127.0.0.1:0 >"$tmp/vigil.out" 2>&1 &
  VIGIL_PID=$!
  wait_for_line "$tmp/vigil.out" "Stop with Ctrl-C" 120 "$VIGIL_PID"
  GATEWAY_PORT=$(grep -o 'gateway on https://[^:]*:[0-9]*' "$tmp/vigil.out" | sed 's/.*://')
  [ -n "$GATEWAY_PORT" ] || die "cannot read the gateway's port: $(cat "$tmp/vigil.out")"
}

# enroll_devices: DEVICES infusion pumps, each enrolled by vigil-agent with its own token and
# key. Enrolment is limited to a few per second per address, so this takes about DEVICES/2 s.
enroll_devices() {
  local i id token fingerprint name state attempt
  mkdir -p "$tmp/ids" "$tmp/agents"
  for ((i = 0; i < DEVICES; i++)); do
    name=$(printf 'pump-%03d' "$i")
    id=$("$VIGIL" device add --data-dir "$tmp/data" --name "$name" --type infusion_pump \
      --manufacturer "Bench Medical" --model "BM-1" --firmware 1.0.0 --criticality life_supporting) ||
      die "device add failed: $id"
    token=$("$VIGIL" device enroll-token --data-dir "$tmp/data" "$id") || die "enroll-token: $token"
    fingerprint=$(awk '/^ca fingerprint:/ { print $3 }' <<<"$token")
    token=$(awk '/^token:/ { print $2 }' <<<"$token")
    state=$tmp/agents/$name
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
      "$AGENT" enroll --server "https://127.0.0.1:$GATEWAY_PORT" --token "$token" \
        --ca-fingerprint "$fingerprint" --state-dir "$state" >"$tmp/enroll.out" 2>&1 && break
      grep -q '429\|rate' "$tmp/enroll.out" || die "enrolment failed: $(cat "$tmp/enroll.out")"
      [ "$attempt" -lt 10 ] || die "enrolment still rate-limited: $(cat "$tmp/enroll.out")"
      sleep 1
    done
    cp "$state/cert.pem" "$tmp/ids/$name.crt"
    cp "$state/key.pem" "$tmp/ids/$name.key"
  done
  cp "$state/ca.pem" "$tmp/vigil-root.pem"
  # cert.pem is the leaf then the intermediate: keep the intermediate for the chain.
  awk '/BEGIN CERTIFICATE/ { n++ } n == 2' "$state/cert.pem" | cat "$tmp/vigil-root.pem" - \
    >"$tmp/vigil-chain.pem"
  curl -sf --cacert "$tmp/vigil-root.pem" "https://127.0.0.1:$GATEWAY_PORT/v1/crl" \
    -o "$tmp/crl.pem" || die "cannot fetch the CRL"
}

# make_reference_certificate: a throwaway P-256 root, an intermediate and a server certificate
# for 127.0.0.1, shaped like Vigil's device CA and gateway certificate (ECDSA P-256, three levels);
# server.crt holds the whole chain (leaf, intermediate, root) as the gateway presents it, so a
# client verifies as much against either server.
make_reference_certificate() {
  mkdir -p "$tmp/ref"
  (
    cd "$tmp/ref"
    ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
    openssl req -x509 -new "${ec[@]}" -days 2 -subj "/CN=bench reference root" \
      -keyout ca.key -out ca.pem
    openssl req -new "${ec[@]}" -subj "/CN=bench reference intermediate" -keyout int.key -out int.csr
    printf 'basicConstraints = critical, CA:TRUE, pathlen:0\nkeyUsage = critical, keyCertSign, cRLSign\n' >int.ext
    openssl x509 -req -in int.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
      -extfile int.ext -out int.pem
    openssl req -new "${ec[@]}" -subj "/CN=127.0.0.1" -keyout server.key -out server.csr
    printf 'subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA int.pem -CAkey int.key -CAcreateserial -days 2 \
      -extfile server.ext -out leaf.pem
    cat leaf.pem int.pem ca.pem >server.crt
  ) >"$tmp/ref.log" 2>&1 || die "openssl failed: $(cat "$tmp/ref.log")"
}

# measure NAME PID LOADGEN-ARGS...: one loadgen run (on LOADGEN_CPUS, default CPU 1) against the
# server PID; sets OK (answers), RATE (per second) and PER_CPU (answers per server CPU-second).
measure() {
  local name=$1 pid=$2 before after ticks
  shift 2
  before=$(cpu_ticks "$pid")
  taskset -c "${LOADGEN_CPUS:-1}" timeout 120 "$LOADGEN" "$@" >"$tmp/loadgen.out" 2>&1 ||
    die "loadgen against $name failed: $(cat "$tmp/loadgen.out")"
  after=$(cpu_ticks "$pid")
  OK=$(awk '/^loadgen/ { print $3 }' "$tmp/loadgen.out")
  RATE=$(awk '/^loadgen/ { print $(NF - 2) }' "$tmp/loadgen.out")
  ticks=$((after - before))
  if [ -z "$OK" ] || [ "$ticks" -le 0 ]; then
    die "cannot read loadgen's output: $(cat "$tmp/loadgen.out")"
  fi
  PER_CPU=$(awk -v n="$OK" -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", n / (t / hz) }')
}
