#!/usr/bin/env bash
# The admission benchmark: modelgate's webhook next to nginx answering the same bytes over
# TLS on the same machine (the ceiling), both driven by wrk over HTTPS keep-alive with the
# same AdmissionReview for a Deployment, while the webhook's caches hold N ModelVersions
# (shaped like real ones, with server-side-apply managedFields and a full Passed status) and
# P policies that all match the Deployment. Prints requests/s at 4 connections, p99 at 1
# connection, and the webhook's resident memory.
#
#   bench/webhook/run.sh BUILD_DIR [--model-versions 1000] [--policies 10] [--duration 15]
#                        [--threads 2] [--list-page-size 25] [--testbed] [--baseline BINARY]
#                        [--rounds 1]
#
# --baseline runs another build's modelgate as a second webhook over the same caches, driven
# the same way in the same minutes (its runs interleaved with the others), for a comparison
# that the machine's load does not skew.
#
# --rounds N drives every server N times, in the opposite order every other round, and reports
# the median of each figure and of each round's ratios: on a shared machine one round per
# server can be off by 2x either way.
#
# Needs KUBECONFIG for an API server with modelgate's CRDs, or --testbed: then it brings up
# its own test bed in BUILD_DIR/e2e-state while holding the test bed lock
# ($MODELGATE_TESTBED_LOCK, default /tmp/mg/testbed.lock), installs the CRDs and tears the
# test bed down on exit. Needs nginx, wrk, openssl, python3 and jq. Not part of the test suite.
set -euo pipefail
build=$(cd "$1" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mvs=1000 policies=10 duration=15 threads=2 page_size=25 testbed=false baseline="" rounds=1
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --model-versions) mvs=$2 ;;
    --policies) policies=$2 ;;
    --duration) duration=$2 ;;
    --threads) threads=$2 ;;
    --list-page-size) page_size=$2 ;;
    --baseline) baseline=$(realpath "$2") ;;
    --rounds) rounds=$2 ;;
    --testbed) testbed=true; shift; continue ;;
    *) echo "run.sh: unknown flag $1" >&2; exit 2 ;;
  esac
  shift 2
done
if $testbed; then
  lock=${MODELGATE_TESTBED_LOCK:-/tmp/mg/testbed.lock}
  if [ -z "${MODELGATE_BENCH_LOCKED:-}" ]; then
    mkdir -p "$(dirname "$lock")"
    echo "$(date +%T) waiting for the test bed lock $lock" >&2
    MODELGATE_BENCH_LOCKED=1 exec flock "$lock" "$0" "$build" "${args[@]}"
  fi
  echo "$(date +%T) bringing up the test bed" >&2
  trap '"$root/e2e/harness/testbed.sh" down "$build" >/dev/null 2>&1 || echo "run.sh: testbed down failed" >&2' EXIT
  "$root/e2e/harness/testbed.sh" up "$build" >"$build/bench-webhook-testbed-up.log" 2>&1 ||
    { tail -20 "$build/bench-webhook-testbed-up.log" >&2; exit 1; }
  # shellcheck disable=SC1091
  . "$build/e2e-state/env"
  kubectl apply --server-side --force-conflicts -f "$root/crds/" >/dev/null
  kubectl wait --for=condition=Established --timeout=60s \
    crd/modelversions.modelgate.io crd/modelgatepolicies.modelgate.io >/dev/null
  until kubectl get modelversions.modelgate.io -A >/dev/null 2>&1; do sleep 0.5; done
fi
: "${KUBECONFIG:?run.sh needs KUBECONFIG for an API server with modelgate\'s CRDs, or --testbed}"

ns=bench-webhook
work=$(mktemp -d)
webhook_pid=""
baseline_pid=""
cleanup() {
  [ -n "$baseline_pid" ] && kill "$baseline_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -n "$webhook_pid" ] && kill "$webhook_pid" 2>/dev/null || true
  [ -n "$webhook_pid" ] && wait "$webhook_pid" 2>/dev/null || true
  kubectl delete modelgatepolicies -l modelgate.io/bench=true --ignore-not-found >/dev/null 2>&1 || true
  kubectl delete namespace "$ns" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  rm -rf "$work"
  if $testbed; then
    "$root/e2e/harness/testbed.sh" down "$build" >/dev/null 2>&1 || echo "run.sh: testbed down failed" >&2
  fi
}
trap cleanup EXIT
log() { echo "$(date +%T) $*" >&2; }
# shellcheck source=bench/webhook/common.sh
. "$here/common.sh"
rss_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

make_certificates

log "creating $mvs ModelVersions and $policies policies"
kubectl create namespace "$ns" >/dev/null
python3 "$here/make_objects.py" objects --namespace "$ns" --model-versions "$mvs" \
  --policies "$policies" --out "$work"
kubectl apply --server-side --field-manager=gitops -n "$ns" -f "$work/modelversions.json" >/dev/null
kubectl get modelversions -n "$ns" -o json | python3 "$here/make_objects.py" statuses |
  kubectl replace --subresource=status -f - >/dev/null
kubectl apply --server-side --field-manager=gitops -f "$work/policies.json" >/dev/null

log "starting the webhook"
port=$(free_port)
started_ns=$(date +%s%N)
# start_webhook BINARY PORT LOG: starts a webhook in the background
start_webhook() {
  "$1" webhook --tls-cert-file "$work/tls.crt" --tls-key-file "$work/tls.key" \
    --address 127.0.0.1 --port "$2" --threads "$threads" --list-page-size "$page_size" \
    --kubeconfig "$KUBECONFIG" >"$3" 2>&1 &
}
post() { curl -sS --cacert "$work/ca.crt" -H 'Content-Type: application/json' \
  --data-binary "@$work/review.json" "$1"; }
# wait_allowed URL LOG: until the webhook at URL allows the review
wait_allowed() {
  local deadline=$((SECONDS + 120))
  until [ "$(post "$1" 2>/dev/null | jq -r .response.allowed 2>/dev/null)" == true ]; do
    ((SECONDS < deadline)) || { tail "$2" >&2; echo "webhook not ready" >&2; exit 1; }
    sleep 0.1
  done
}
start_webhook "$build/modelgate" "$port" "$work/webhook.log"
webhook_pid=$!
webhook=https://127.0.0.1:$port/validate
wait_allowed "$webhook" "$work/webhook.log"
synced_ms=$((($(date +%s%N) - started_ns) / 1000000))
hwm_synced=$(rss_kib "$webhook_pid" VmHWM)
post "$webhook" >"$work/response.json"
# Settled: the webhook gives the first list's freed memory back at the sync and 5 s later.
sleep 10
rss_synced=$(rss_kib "$webhook_pid" VmRSS)

# nginx answers every request with the webhook's exact response bytes.
nginx_port=$(free_port)
start_nginx "$nginx_port" "$threads"
nginx_url=https://127.0.0.1:$nginx_port/validate
deadline=$((SECONDS + 10))
until cmp -s <(post "$nginx_url" 2>/dev/null) "$work/response.json"; do
  ((SECONDS < deadline)) || { echo "nginx does not answer like the webhook" >&2; exit 1; }
  sleep 0.2
done


if [ -n "$baseline" ]; then
  log "starting the baseline webhook $baseline"
  base_port=$(free_port)
  start_webhook "$baseline" "$base_port" "$work/baseline.log"
  baseline_pid=$!
  base_url=https://127.0.0.1:$base_port/validate
  wait_allowed "$base_url" "$work/baseline.log"
fi

log "wrk: ${duration}s per run after a 2s warm-up, $rounds round(s)"
# One line per round: web4 web4p99 ngx4 ngx4p99 base4 base4p99 web1 web1p99 ngx1 ngx1p99
# base1 base1p99 (the baseline's as 0 without one).
servers=(web ngx)
[ -n "$baseline" ] && servers+=(base)
: >"$work/rounds.txt"
for ((round = 1; round <= rounds; round++)); do
  round_order "$round" "${servers[@]}"
  declare -A got=([base4]="0 0" [base1]="0 0")
  for conns in 4 1; do
    for server in "${order[@]}"; do
      case "$server" in web) url=$webhook ;; ngx) url=$nginx_url ;; base) url=$base_url ;; esac
      got[$server$conns]=$(wrk_run "$url" "$conns") || exit 1
    done
  done
  line="${got[web4]} ${got[ngx4]} ${got[base4]} ${got[web1]} ${got[ngx1]} ${got[base1]}"
  echo "$line" >>"$work/rounds.txt"
  log "round $round (order ${order[*]}): $line"
done
read -r web4 web4p99 ngx4 ngx4p99 base4 base4p99 web1 web1p99 ngx1 ngx1p99 base1 base1p99 < <(
  for c in $(seq 1 12); do median "\$$c"; done | tr '\n' ' '; echo)
ratio4=$(median '$1 / $3')
rss_after=$(rss_kib "$webhook_pid" VmRSS)
hwm=$(rss_kib "$webhook_pid" VmHWM)

printf '\nAdmissionReview for a Deployment (%s bytes in, %s bytes out), %s ModelVersions and %s policies cached, %s server threads/workers\n' \
  "$(wc -c <"$work/review.json")" "$(wc -c <"$work/response.json")" "$mvs" "$policies" "$threads"
printf '%-26s %12s %12s\n' "" "webhook" "nginx"
printf '%-26s %12s %12s\n' "requests/s, 4 connections" "$web4" "$ngx4"
printf '%-26s %12s %12s\n' "p99 ms, 4 connections" "$web4p99" "$ngx4p99"
printf '%-26s %12s %12s\n' "requests/s, 1 connection" "$web1" "$ngx1"
printf '%-26s %12s %12s\n' "p99 ms, 1 connection" "$web1p99" "$ngx1p99"
printf 'throughput ratio at 4 connections: %.2f x nginx (median of %s rounds'"'"' ratios)\n' "$ratio4" "$rounds"
if [ -n "$baseline" ]; then
  printf '%-26s %12s %12s\n' "baseline $(basename "$baseline")" "4 conns" "1 conn"
  printf '%-26s %12s %12s\n' "requests/s" "$base4" "$base1"
  printf '%-26s %12s %12s\n' "p99 ms" "$base4p99" "$base1p99"
  printf 'baseline at 4 connections: %.2f x nginx; webhook / baseline: %.2f (medians of the rounds'"'"' ratios)\n' \
    "$(median '$5 / $3')" "$(median '$1 / $5')"
fi
printf 'webhook RSS: %.1f MiB settled 10 s after the caches synced, %.1f MiB after the runs (peak %.1f MiB)\n' \
  "$(echo "$rss_synced / 1024" | bc -l)" "$(echo "$rss_after / 1024" | bc -l)" "$(echo "$hwm / 1024" | bc -l)"
printf 'webhook start to first allowed review: %.1f s, ModelVersions listed %s to a page (peak RSS by then %.1f MiB)\n' \
  "$(echo "$synced_ms / 1000" | bc -l)" "$page_size" "$(echo "$hwm_synced / 1024" | bc -l)"
