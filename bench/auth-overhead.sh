#!/usr/bin/env bash
# What authentication and authorisation add to an HTTPS request: `vigil serve` (VIGIL_THREADS=1,
# pinned to CPU 0, access log off) answering GET /healthz (public) against the same server
# answering authenticated requests, in one run. The first admin is signed in for real (one-time
# password, new passphrase, TOTP enrolment with oathtool) and creates an API token with scope
# "self". Measured, each with wrk -t2 -c64 for DURATION (default 10s) on both CPUs:
#
#   healthz        GET /healthz, no credentials (the reference)
#   check-cookie   GET /api/v1/auth/check with the session cookie (only if the route exists:
#   check-token    GET /api/v1/auth/check with Authorization: Bearer   it answers like /healthz)
#   me-cookie      GET /api/v1/me with the session cookie (as a person would: extends the session)
#   me-token       GET /api/v1/me with the token
#
# /api/v1/auth/check does nothing but authenticate, authorise and answer {"status":"ok"}, so
# against /healthz it measures what auth costs. /api/v1/me also reads the user from the database
# and builds a larger JSON answer: an upper bound. Each authenticated run is bracketed by /healthz
# runs (H A H B H C ... H), PAIRS rounds (default 3), after a 2 s warm-up of each; the ratio of a
# run is its requests/s over the mean of the two /healthz runs around it, and likewise for server
# CPU per request (utime+stime from /proc/PID/stat before and after). Prints the medians and the
# overhead, 1/ratio - 1. Goal: under 10% (ratio > 0.909).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

VIGIL=$BUILD/apps/vigil/vigil
DURATION=${DURATION:-10s}
WRK_CPUS=${WRK_CPUS:-}
need_file "$VIGIL"
for tool in wrk curl jq oathtool taskset; do need_tool "$tool"; done

tmp=$(mktemp -d -t vigil-bench-auth.XXXXXX)
vigil_pid=""
wrk_pid=""
cleanup() {
  [ -n "$wrk_pid" ] && stop_pid "$wrk_pid" 10
  [ -n "$vigil_pid" ] && stop_pid "$vigil_pid" 30
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Clock ticks (user + system) used so far by PID, all of its threads.
cpu_ticks() {
  # Fields after the ")" closing the command name: state is 3, utime 14, stime 15.
  sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# run_wrk NAME URL [HEADER]: one wrk run against vigil; sets RPS (requests/s) and CPU_MS (server
# CPU milliseconds per 1000 requests). wrk runs in the background so that a signal stops the
# script (and wrk, in cleanup) at once.
run_wrk() {
  local name=$1 url=$2 header=${3:-} before after out requests pin=() extra=()
  [ -n "$WRK_CPUS" ] && pin=(taskset -c "$WRK_CPUS")
  [ -n "$header" ] && extra=(-H "$header")
  before=$(cpu_ticks "$vigil_pid")
  "${pin[@]}" timeout 120 wrk -t2 -c64 -d"$DURATION" "${extra[@]}" "$url" >"$tmp/wrk.out" 2>&1 &
  wrk_pid=$!
  wait "$wrk_pid" || die "wrk for $name failed: $(cat "$tmp/wrk.out")"
  wrk_pid=""
  after=$(cpu_ticks "$vigil_pid")
  out=$(<"$tmp/wrk.out")
  if grep -q 'Non-2xx' <<<"$out"; then die "$name answered errors: $out"; fi
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  RPS=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  if [ -z "$requests" ] || [ -z "$RPS" ]; then die "cannot read wrk's output: $out"; fi
  CPU_MS=$(awk -v n="$requests" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.2f", (n > 0 ? t / hz * 1000 / (n / 1000) : 0) }')
}

# --- vigil serve, fresh data dir ---
# Sign-in rate limits and failure delays must not get in the way of the set-up; sessions keep
# the default idle timeout (900 s, longer than the run: every measured cookie request extends it).
mkdir -p "$tmp/data"
cat >"$tmp/data/vigil.toml" <<'TOML'
[server]
threads = 1
access_log = false

[identity]
address_attempts_per_minute = 100000
failure_delay_seconds = 0
TOML
VIGIL_THREADS=1 taskset -c 0 "$VIGIL" serve --data-dir "$tmp/data" --listen 127.0.0.1:0 --gateway-listen 127.0.0.1:0 \
  >"$tmp/vigil.out" 2>&1 &
vigil_pid=$!
wait_for_line "$tmp/vigil.out" "Stop with Ctrl-C" 60 "$vigil_pid"
port=$(grep -o 'is serving https://[^:]*:[0-9]*' "$tmp/vigil.out" | head -1 | sed 's/.*://')
[ -n "$port" ] || die "cannot read vigil's port: $(cat "$tmp/vigil.out")"
base="https://127.0.0.1:$port"
admin=$(sed -n 's/.* as "\([^"]*\)" with the one-time password.*/\1/p' "$tmp/vigil.out" | head -1)
otp=$(sed -n 's/.*one-time password: \(.*\)$/\1/p' "$tmp/vigil.out" | head -1)
{ [ -n "$admin" ] && [ -n "$otp" ]; } || die "no first admin and one-time password: $(cat "$tmp/vigil.out")"

# --- sign the first admin in, as the dashboard would ---
jar=$tmp/cookies
# api METHOD PATH CSRF [JSON]: one request with the cookie jar; prints the body, fails on >= 400.
api() {
  local method=$1 path=$2 csrf=$3 data=${4:-} args=() status
  [ -n "$csrf" ] && args+=(-H "X-CSRF-Token: $csrf")
  [ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data "$data")
  status=$(curl -sk --max-time 30 -b "$jar" -c "$jar" -X "$method" "${args[@]}" \
    -o "$tmp/api.out" -w '%{http_code}' "$base$path") || die "$method $path: curl failed"
  [ "$status" -lt 400 ] || die "$method $path answered $status: $(cat "$tmp/api.out")"
  cat "$tmp/api.out"
}
passphrase="copper lantern harbour quietly 7391"
answer=$(api POST /api/v1/auth/login "" "$(jq -nc --arg u "$admin" --arg p "$otp" '{username: $u, password: $p}')")
csrf=$(jq -r .csrf_token <<<"$answer")
answer=$(api POST /api/v1/auth/password "$csrf" "$(jq -nc --arg p "$passphrase" '{new_password: $p}')")
csrf=$(jq -r '.csrf_token // empty' <<<"$answer")
[ -n "$csrf" ] || csrf=$(jq -r .csrf_token <<<"$(api GET /api/v1/auth/session "")")
secret=$(jq -r .secret <<<"$(api POST /api/v1/auth/mfa/enrol "$csrf")")
{ [ -n "$secret" ] && [ "$secret" != null ]; } || die "no TOTP secret from /api/v1/auth/mfa/enrol"
answer=$(api POST /api/v1/auth/mfa/enrol/confirm "$csrf" \
  "$(jq -nc --arg c "$(oathtool --totp -b "$secret")" '{code: $c}')")
[ "$(jq -r .next <<<"$answer")" = "done" ] || die "signing in did not finish: $answer"
csrf=$(jq -r .csrf_token <<<"$answer")
# The jar's last line for the cookie is the one set when signing in finished.
cookie=$(awk -v name=__Host-vigil '$6 == name { v = $7 } END { print v }' "$jar")
[ -n "$cookie" ] || die "no __Host-vigil cookie in the jar after signing in"
token=$(jq -r .secret <<<"$(api POST /api/v1/tokens "$csrf" '{"name":"bench","scopes":["self"],"expires_in_days":1}')")
{ [ -n "$token" ] && [ "$token" != null ]; } || die "no token secret from POST /api/v1/tokens"

cookie_header="Cookie: __Host-vigil=$cookie"
token_header="Authorization: Bearer $token"
names=(healthz)
urls=("$base/healthz")
headers=("")
if [ "$(curl -sk --max-time 10 -o /dev/null -w '%{http_code}' -H "$token_header" \
  "$base/api/v1/auth/check")" = 200 ]; then
  names+=(check-cookie check-token)
  urls+=("$base/api/v1/auth/check" "$base/api/v1/auth/check")
  headers+=("$cookie_header" "$token_header")
else
  echo "note: no GET /api/v1/auth/check in this build; measuring /api/v1/me only"
fi
names+=(me-cookie me-token)
urls+=("$base/api/v1/me" "$base/api/v1/me")
headers+=("$cookie_header" "$token_header")

# Every variant answers 200 (a 401 would be cheaper and look like no overhead); sizes shown once.
echo "auth overhead: vigil (VIGIL_THREADS=1) on CPU 0, wrk -t2 -c64 -d$DURATION on CPUs ${WRK_CPUS:-0-1}, signed in as $admin"
for i in "${!names[@]}"; do
  args=()
  [ -n "${headers[$i]}" ] && args=(-H "${headers[$i]}")
  status=$(curl -sk --max-time 10 "${args[@]}" -D "$tmp/head" -o "$tmp/body" -w '%{http_code}' "${urls[$i]}")
  [ "$status" = 200 ] || die "${names[$i]} answered $status: $(cat "$tmp/body")"
  printf '%-13s %s  response %d+%d bytes (headers+body)\n' "${names[$i]}" \
    "${urls[$i]#"$base"}" "$(wc -c <"$tmp/head")" "$(wc -c <"$tmp/body")"
done

DURATION_SAVED=$DURATION
DURATION=2s
for i in "${!names[@]}"; do run_wrk "${names[$i]}" "${urls[$i]}" "${headers[$i]}"; done
DURATION=$DURATION_SAVED

# H A H B H C H D H A ...: each authenticated run against the mean of the /healthz runs either side.
declare -A rps_ratios cpu_ratios rps_list cpu_list
run_wrk healthz "${urls[0]}"
h_rps=$RPS h_cpu=$CPU_MS
rps_list[healthz]="$RPS" cpu_list[healthz]="$CPU_MS"
for ((round = 1; round <= PAIRS; round++)); do
  for ((i = 1; i < ${#names[@]}; i++)); do
    name=${names[$i]}
    run_wrk "$name" "${urls[$i]}" "${headers[$i]}"
    x_rps=$RPS x_cpu=$CPU_MS
    run_wrk healthz "${urls[0]}"
    ref_rps=$(awk -v a="$h_rps" -v b="$RPS" 'BEGIN { printf "%.0f", (a + b) / 2 }')
    ref_cpu=$(awk -v a="$h_cpu" -v b="$CPU_MS" 'BEGIN { printf "%.3f", (a + b) / 2 }')
    r=$(ratio "$x_rps" "$ref_rps")
    rc=$(ratio "$ref_cpu" "$x_cpu")
    rps_ratios[$name]+="$r " cpu_ratios[$name]+="$rc "
    rps_list[$name]+="$x_rps " cpu_list[$name]+="$x_cpu "
    rps_list[healthz]+=" $RPS" cpu_list[healthz]+=" $CPU_MS"
    printf 'round %d  healthz %7d req/s %6.2f cpu-ms/1000  %-12s %7d req/s %6.2f cpu-ms/1000  ratio %s  (cpu ratio %s)\n' \
      "$round" "$ref_rps" "$ref_cpu" "$name" "$x_rps" "$x_cpu" "$r" "$rc"
    h_rps=$RPS h_cpu=$CPU_MS
  done
done

# overhead RATIO: 1/RATIO - 1 in percent, one decimal.
overhead() { awk -v r="$1" 'BEGIN { if (r > 0) printf "%+.1f%%", (1 / r - 1) * 100; else printf "n/a" }'; }
# shellcheck disable=SC2086  # The lists are space-separated numbers.
printf 'healthz alone: median %.0f req/s, %.2f cpu-ms/1000 (%d runs)\n' "$(median ${rps_list[healthz]})" \
  "$(median ${cpu_list[healthz]})" "$(wc -w <<<"${rps_list[healthz]}")"
for ((i = 1; i < ${#names[@]}; i++)); do
  name=${names[$i]}
  # shellcheck disable=SC2086
  r=$(median ${rps_ratios[$name]})
  # shellcheck disable=SC2086
  rc=$(median ${cpu_ratios[$name]})
  echo "median ratio $name/healthz $r req/s (overhead $(overhead "$r"), goal < 10%); by server CPU per request (healthz/$name) $rc (overhead $(overhead "$rc"))"
done
