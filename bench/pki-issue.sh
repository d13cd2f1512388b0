#!/usr/bin/env bash
# Issuing device certificates from CSRs: Vigil's DeviceCa::IssueDeviceCertificate (issue_bench,
# one thread) against openssl on the same CA and the same P-256 CSRs, with the same profile
# (CA:FALSE, digitalSignature, clientAuth, key identifiers, a SAN URI, ECDSA-SHA256), every run
# pinned to CPU 0 and alternated PAIRS times (default 3). References:
#   openssl ca -batch -infiles  all CERTS CSRs signed by one process (the fair comparison: the
#                               ratio printed is against this one)
#   openssl x509 -req           one process per certificate, as scripts do it (X509_CERTS CSRs)
# Rates are certificates per second of wall time on one CPU. Goals: vigil >= 1000/s on one
# CPU, and the two-thread rate is printed once for the whole machine.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

BENCH=$BUILD/src/pki/issue_bench
CERTS=${CERTS:-2000}
X509_CERTS=${X509_CERTS:-100}
need_file "$BENCH"
need_tool openssl
need_tool taskset

work=$(mktemp -d -t vigil-bench-pki.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$BENCH" prepare "$work" "$CERTS"

cat >"$work/profile.cnf" <<'CNF'
[device]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = URI:urn:vigil:device:0123456789abcdef0123456789abcdef
CNF
cat >"$work/ca.cnf" <<CNF
[ca]
default_ca = bench
[bench]
database = $work/db/index.txt
new_certs_dir = $work/db/certs
certificate = $work/ca.pem
private_key = $work/ca.key
rand_serial = yes
default_md = sha256
default_days = 90
policy = anything
unique_subject = no
copy_extensions = none
x509_extensions = device
[anything]
commonName = supplied
$(cat "$work/profile.cnf")
CNF

# elapsed START END: seconds between two `date +%s.%N` stamps.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f\n", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f\n", (s > 0 ? n / s : 0) }'; }

vigil_rate() {
  taskset -c 0 "$BENCH" run "$work" 1 |
    awk '/^issued/ { for (i = 1; i < NF; i++) if ($(i + 1) == "certificates/s,") { print $i; found = 1 } }
         END { exit !found }'
}

openssl_ca_rate() {
  rm -rf "$work/db" && mkdir -p "$work/db/certs" && : >"$work/db/index.txt"
  local start end
  start=$(date +%s.%N)
  taskset -c 0 openssl ca -batch -notext -config "$work/ca.cnf" -out /dev/null \
    -infiles "$work"/csr/*.pem >"$work/ca.log" 2>&1 || { cat "$work/ca.log" >&2; return 1; }
  end=$(date +%s.%N)
  [ "$(wc -l <"$work/db/index.txt")" -eq "$CERTS" ] || { cat "$work/ca.log" >&2; return 1; }
  rate "$CERTS" "$(elapsed "$start" "$end")"
}

openssl_x509_rate() {
  local start end
  start=$(date +%s.%N)
  # shellcheck disable=SC2016  # Expanded by the inner shell.
  taskset -c 0 bash -c 'for csr in $(ls "$1"/csr/*.pem | head -n "$2"); do
      openssl x509 -req -in "$csr" -CA "$1/ca.pem" -CAkey "$1/ca.key" -days 90 -sha256 \
        -extfile "$1/profile.cnf" -extensions device -out /dev/null 2>/dev/null || exit 1
    done' _ "$work" "$X509_CERTS"
  end=$(date +%s.%N)
  rate "$X509_CERTS" "$(elapsed "$start" "$end")"
}

echo "pki-issue: $CERTS P-256 CSRs; vigil issue_bench vs openssl ca -batch (same CSRs) and openssl x509 -req ($X509_CERTS CSRs, one process each), taskset -c 0"
ratios=()
x509_ratios=()
for ((pair = 1; pair <= PAIRS; pair++)); do
  a=$(openssl_ca_rate) || die "openssl ca failed"
  x=$(openssl_x509_rate) || die "openssl x509 -req failed"
  v=$(vigil_rate) || die "could not read issue_bench's output"
  r=$(ratio "$v" "$a")
  rx=$(ratio "$v" "$x")
  ratios+=("$r")
  x509_ratios+=("$rx")
  printf 'pair %d  openssl ca %6d/s  openssl x509 -req %5d/s  vigil %6d/s  ratio vs ca %s  vs x509 %s\n' \
    "$pair" "$a" "$x" "$v" "$r" "$rx"
done
echo "two threads, unpinned: $("$BENCH" run "$work" 2)"
echo "median ratio vigil/openssl-ca $(median "${ratios[@]}") (goal: vigil >= 1000 certificates/s); vigil/openssl-x509-req $(median "${x509_ratios[@]}")"
