#!/usr/bin/env bash
# The webhook's HTTPS server alone next to nginx: modelgate_server_cost and nginx answer every
# POST with the same bytes (an AdmissionReview response of the admission benchmark's size),
# both driven by wrk over HTTPS keep-alive with the admission benchmark's review as the body.
# No control plane and no caches: this isolates what the server layer costs per request.
#
#   bench/webhook/server_run.sh BUILD_DIR [--baseline OTHER_SERVER_COST] [--threads 1]
#                               [--duration 6] [--rounds 3]
#
# BUILD_DIR holds bench/webhook/modelgate_server_cost (ninja modelgate_server_cost);
# --baseline is another build's modelgate_server_cost, driven in the same rounds. Servers run
# in the opposite order every other round; medians of requests/s, p99 and of the rounds'
# ratios are printed. Needs nginx, wrk, openssl and python3. Not part of the test suite.
set -euo pipefail
build=$(cd "$1" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
threads=1 duration=6 rounds=3 baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) baseline=$(realpath "$2") ;;
    --threads) threads=$2 ;;
    --duration) duration=$2 ;;
    --rounds) rounds=$2 ;;
    *) echo "server_run.sh: unknown flag $1" >&2; exit 2 ;;
  esac
  shift 2
done
server=$build/bench/webhook/modelgate_server_cost
[ -x "$server" ] || { echo "server_run.sh: build $server first (ninja modelgate_server_cost)" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=bench/webhook/common.sh
. "$here/common.sh"

make_certificates
python3 "$here/make_objects.py" objects --namespace bench --model-versions 1 --policies 1 \
  --out "$work"
uid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["request"]["uid"])' "$work/review.json")
printf '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"%s","allowed":true}}' \
  "$uid" >"$work/response.json"

nginx_port=$(free_port)
start_nginx "$nginx_port" "$threads"
declare -A url=([ngx]=https://127.0.0.1:$nginx_port/validate)
servers=(srv ngx)
start_server() {  # NAME BINARY
  local port
  port=$(free_port)
  "$2" "$work/tls.crt" "$work/tls.key" "$work/response.json" "$port" "$threads" &
  pids+=($!)
  url[$1]=https://127.0.0.1:$port/validate
}
start_server srv "$server"
if [ -n "$baseline" ]; then start_server base "$baseline"; servers+=(base); fi
for s in "${servers[@]}"; do
  deadline=$((SECONDS + 10))
  until curl -sfS --cacert "$work/ca.crt" -o /dev/null -d @"$work/review.json" "${url[$s]}" 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "server_run.sh: $s does not answer" >&2; exit 1; }
    sleep 0.1
  done
done


# One line per round: srv4 srv4p99 ngx4 ngx4p99 base4 base4p99 srv1 srv1p99 ngx1 ngx1p99 base1 base1p99
: >"$work/rounds.txt"
for ((round = 1; round <= rounds; round++)); do
  round_order "$round" "${servers[@]}"
  declare -A got=([base4]="0 0" [base1]="0 0")
  for conns in 4 1; do
    for s in "${order[@]}"; do got[$s$conns]=$(wrk_run "${url[$s]}" "$conns") || exit 1; done
  done
  line="${got[srv4]} ${got[ngx4]} ${got[base4]} ${got[srv1]} ${got[ngx1]} ${got[base1]}"
  echo "$line" >>"$work/rounds.txt"
  echo "$(date +%T) round $round (order ${order[*]}): $line" >&2
done
read -r srv4 srv4p99 ngx4 ngx4p99 base4 base4p99 srv1 srv1p99 ngx1 ngx1p99 base1 base1p99 < <(
  for c in $(seq 1 12); do median "\$$c"; done | tr '\n' ' '; echo)
printf '\nHTTPS server alone, %s thread(s) / nginx workers, medians of %s rounds\n' "$threads" "$rounds"
printf '%-26s %12s %12s %12s\n' "" "server" "nginx" "baseline"
printf '%-26s %12s %12s %12s\n' "requests/s, 4 connections" "$srv4" "$ngx4" "$base4"
printf '%-26s %12s %12s %12s\n' "p99 ms, 4 connections" "$srv4p99" "$ngx4p99" "$base4p99"
printf '%-26s %12s %12s %12s\n' "requests/s, 1 connection" "$srv1" "$ngx1" "$base1"
printf '%-26s %12s %12s %12s\n' "p99 ms, 1 connection" "$srv1p99" "$ngx1p99" "$base1p99"
printf 'server / nginx at 4 connections: %.2f; at 1: %.2f\n' "$(median '$1 / $3')" "$(median '$7 / $9')"
if [ -n "$baseline" ]; then
  printf 'baseline / nginx at 4 connections: %.2f; server / baseline at 4: %.2f, at 1: %.2f\n' \
    "$(median '$5 / $3')" "$(median '$1 / $5')" "$(median '$7 / $11')"
fi
