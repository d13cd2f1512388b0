#!/usr/bin/env bash
# The audit log: (1) audit_bench alternates plain SQLite inserts with Vigil audit appends of the
# same rows (WAL, synchronous=FULL, 1000 rows per transaction; goals: ratio >= 0.6 and >= 100k
# entries/s); (2) fills a fresh data directory with ENTRIES (default 1,000,000) entries through
# the real audit code and times `vigil audit verify` over it VERIFY_RUNS times (default 3;
# goal: median < 3 s). Data goes under $TMPDIR (default /tmp), which must be a real disk for
# synchronous=FULL to mean anything; it is removed on exit.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

AUDIT_BENCH=$BUILD/src/audit/audit_bench
VIGIL=$BUILD/apps/vigil/vigil
ROWS=${ROWS:-200000}
ENTRIES=${ENTRIES:-1000000}
VERIFY_RUNS=${VERIFY_RUNS:-3}
need_file "$AUDIT_BENCH"
need_file "$VIGIL"

tmp=$(mktemp -d -t vigil-bench-audit.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "== audit appends vs plain SQLite inserts"
"$AUDIT_BENCH" --rows "$ROWS" --pairs "$PAIRS" --dir "$tmp" |
  sed -e '/^median ratio/s/$/ (goal >= 0.6)/' -e '/^median rate/s/$/ (goal: vigil >= 100000)/'

echo "== audit verify over $ENTRIES entries"
"$AUDIT_BENCH" --fill "$tmp/data" "$ENTRIES"
times=()
for ((run = 1; run <= VERIFY_RUNS; run++)); do
  start=$(date +%s.%N)
  out=$("$VIGIL" audit verify --data-dir "$tmp/data") || die "vigil audit verify failed: $out"
  end=$(date +%s.%N)
  t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  times+=("$t")
  echo "run $run  ${t} s  ($out)"
done
echo "median verify time $(median "${times[@]}") s for $ENTRIES entries (goal < 3 s)"
