# shellcheck shell=bash disable=SC2034  # BUILD, ROOT and PAIRS are for the scripts that source this.
# Shared by the bench/ scripts: temp dirs, bounded waits, medians. Source it; do not run it.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
BUILD=${VIGIL_BUILD:-$ROOT/build/release}
PAIRS=${PAIRS:-3}

die() {
  echo "${0##*/}: $*" >&2
  exit 1
}

need_file() {
  [ -x "$1" ] || die "$1 not found: run 'make bench' (or cmake --build --preset release --target vigil vigil-agent benchmarks)"
}

need_tool() {
  command -v "$1" >/dev/null || die "$1 not installed (scripts/install-deps)"
}

# median N1 N2 ...: the median of the numbers (mean of the middle two for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
    if (NR == 0) exit 1
    if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ratio A B: A / B with three decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", (b > 0 ? a / b : 0) }'; }

# wait_for_line FILE TEXT SECONDS PID: waits until FILE contains TEXT; fails if PID exits first
# or after SECONDS.
wait_for_line() {
  local file=$1 text=$2 limit=$3 pid=$4 i
  for ((i = 0; i < limit * 10; i++)); do
    grep -q -- "$text" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$file" >&2; die "process $pid exited before printing '$text'"; }
    sleep 0.1
  done
  cat "$file" >&2
  die "no '$text' from process $pid within ${limit}s"
}

# stop_pid PID [SECONDS]: SIGTERM, then SIGKILL if it is still there after SECONDS (default 30).
stop_pid() {
  local pid=$1 limit=${2:-30} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < limit * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  echo "${0##*/}: process $pid ignored SIGTERM for ${limit}s: killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# free_port: a TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# cpu_ticks PID: clock ticks (user + system) used so far by PID and its child processes (such
# as nginx's worker). Divide by `getconf CLK_TCK` for seconds.
cpu_ticks() {
  local pid=$1 total=0 p fields children=()
  local pids=("$pid")
  if [ -r "/proc/$pid/task/$pid/children" ]; then
    read -r -a children <"/proc/$pid/task/$pid/children" || true
    pids+=("${children[@]}")
  fi
  for p in "${pids[@]}"; do
    # Fields after the ")" closing the command name: state is 3, utime 14, stime 15.
    fields=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null) || continue
    total=$((total + $(awk '{ print $12 + $13 }' <<<"$fields")))
  done
  echo "$total"
}

# nginx_preamble DIR: the start of an nginx.conf for a throwaway nginx under DIR (one worker,
# pid, logs and temp files in DIR, access log off), up to and including the opening of the
# `http {` block; the caller appends its server block and the closing brace.
nginx_preamble() {
  local dir=$1
  mkdir -p "$dir/logs"
  cat <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  server_tokens off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
CONF
}

# start_nginx DIR: runs nginx with DIR/nginx.conf in the foreground on CPU 0, output in
# DIR/nginx.out; sets NGINX_PID. The caller waits until it answers.
start_nginx() {
  local dir=$1
  taskset -c 0 nginx -p "$dir" -e "$dir/logs/error.log" -c "$dir/nginx.conf" -g 'daemon off;' \
    >"$dir/nginx.out" 2>&1 &
  NGINX_PID=$!
}
