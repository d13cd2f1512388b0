#!/usr/bin/env bash
# The passive sensor on 1M packets of synthetic hospital traffic (../shared/bench/gen_pcap.py
# F 1000000 2000 1): `vigil sensor --pcap F --json` (every dissector, every record written to
# /dev/null) against `ndpiReader -q -i F` (nDPI's DPI, the closest open peer; goal: vigil >= 4x
# its packets/s) and `tcpdump -r F -w /dev/null` (a raw libpcap read; goal: >= 0.5x), each
# pinned to CPU 0, alternated PAIRS times (default 3). Then the memory with 1M concurrent flows:
# bench/gen_flows.py writes 1M flows that are all alive at the end of the capture; the peak
# resident size of `vigil sensor` reading it (goal: under 512 MiB).
# The captures (about 0.5 GB and 0.2 GB) are made once into $CAPTURES (default a temporary
# folder, removed at exit; set CAPTURES=DIR to keep them between runs).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

VIGIL=$BUILD/apps/vigil/vigil
PACKETS=${PACKETS:-1000000}
FLOWS=${FLOWS:-1000000}
need_file "$VIGIL"
for tool in ndpiReader tcpdump taskset python3; do need_tool "$tool"; done
[ -x /usr/bin/time ] || die "/usr/bin/time not installed (package time)"
GEN=$ROOT/../shared/bench/gen_pcap.py
[ -f "$GEN" ] || die "$GEN not found: the shared folder must sit beside the checkout"

keep=${CAPTURES:-}
captures=${CAPTURES:-$(mktemp -d -t vigil-bench-sensor.XXXXXX)}
mkdir -p "$captures"
cleanup() { [ -z "$keep" ] && rm -rf "$captures"; return 0; }
trap cleanup EXIT
trap 'exit 130' INT TERM

mix=$captures/mix-$PACKETS.pcap
if [ ! -s "$mix" ]; then
  echo "writing $PACKETS packets of synthetic traffic to $mix"
  python3 "$GEN" "$mix.tmp" "$PACKETS" 2000 1 && mv "$mix.tmp" "$mix"
fi
flows=$captures/flows-$FLOWS.pcap
if [ ! -s "$flows" ]; then
  echo "writing $FLOWS concurrent flows to $flows"
  python3 "$BENCH_DIR/gen_flows.py" "$flows.tmp" "$FLOWS" 50 1 && mv "$flows.tmp" "$flows"
fi
count=$(tcpdump -r "$mix" -w /dev/null 2>&1 | awk '/packets? captured/ {print $1}' || true)
[ -n "$count" ] || count=$PACKETS

# timed NAME CMD...: runs CMD on CPU 0 with its output discarded; sets SECS (elapsed), CPU
# (user+system seconds) and RSS_MIB (peak resident MiB).
timed() {
  local name=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$captures/time.out" taskset -c 0 "$@" >/dev/null 2>"$captures/$name.err" ||
    die "$name failed: $(tail -5 "$captures/$name.err")"
  read -r SECS user sys rss <"$captures/time.out"
  CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  RSS_MIB=$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')
}

pps() { awk -v n="$count" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

ndpi_ratios=()
tcpdump_ratios=()
for ((i = 1; i <= PAIRS; i++)); do
  timed vigil "$VIGIL" sensor --pcap "$mix" --json
  vigil_pps=$(pps "$SECS")
  vigil_line="vigil ${vigil_pps} pkt/s (${SECS}s, cpu ${CPU}s, ${RSS_MIB} MiB)"
  timed ndpi ndpiReader -q -i "$mix"
  ndpi_pps=$(pps "$SECS")
  ndpi_line="ndpiReader ${ndpi_pps} pkt/s (${SECS}s, ${RSS_MIB} MiB)"
  timed tcpdump tcpdump -r "$mix" -w /dev/null
  tcpdump_pps=$(pps "$SECS")
  ndpi_ratios+=("$(ratio "$vigil_pps" "$ndpi_pps")")
  tcpdump_ratios+=("$(ratio "$vigil_pps" "$tcpdump_pps")")
  echo "pair $i: $vigil_line; $ndpi_line; tcpdump ${tcpdump_pps} pkt/s;" \
    "vigil/ndpiReader ${ndpi_ratios[-1]}, vigil/tcpdump ${tcpdump_ratios[-1]}"
done
grep -h '^sensor:' "$captures/vigil.err" || true
echo "median vigil/ndpiReader packets/s: $(median "${ndpi_ratios[@]}") (goal >= 4)"
echo "median vigil/tcpdump packets/s: $(median "${tcpdump_ratios[@]}") (goal >= 0.5)"

timed flows "$VIGIL" sensor --pcap "$flows" --json
grep -h '^sensor:' "$captures/flows.err" || true
echo "median vigil peak memory with $FLOWS concurrent flows: $RSS_MIB MiB (${SECS}s; goal < 512)"
