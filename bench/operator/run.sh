#!/usr/bin/env bash
# The operator benchmark on the test bed: event-to-Job-created latency at 100 ModelVersions
# per second next to the API server's own create latency in the same run, the time until
# every first Job exists, and the operator's memory with 1,000 and with 10,000 ModelVersions
# cached.
#
#   bench/operator/run.sh BUILD_DIR [--phase1 1000] [--rate 100] [--total 10000]
#                         [--fast-rate 300] [--max-concurrent-jobs 1000]
#                         [--operator-flags "--workers 8 --kube-api-qps 500 ..."] [--perf]
#                         [--restart-baseline OTHER_MODELGATE_BINARY]
#
# Last, the operator is restarted over the 10,000 cached ModelVersions (SIGTERM, start,
# /readyz): its peak RSS while it lists them all again, and its RSS 30 s later. With
# --restart-baseline, another binary (an older build, say) is restarted the same way first,
# for a comparison in the same run.
#
# Brings up its own test bed in BUILD_DIR/e2e-state while holding the test bed lock
# ($MODELGATE_TESTBED_LOCK, default /tmp/mg/testbed.lock) and tears it down on exit. The node
# is cordoned so the validation Jobs' pods stay Pending: what is measured is the operator,
# not the model servers. Results go to BUILD_DIR/bench-operator/<time>/. Not part of the
# test suite.
set -euo pipefail
lock=${MODELGATE_TESTBED_LOCK:-/tmp/mg/testbed.lock}
if [ -z "${MODELGATE_BENCH_LOCKED:-}" ]; then
  mkdir -p "$(dirname "$lock")"
  echo "$(date +%T) waiting for the test bed lock $lock" >&2
  MODELGATE_BENCH_LOCKED=1 exec flock "$lock" "$0" "$@"
fi

build=$(cd "$1" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
phase1=1000 rate=100 total=10000 fast_rate=300 max_jobs=1000 operator_flags="" perf=false
restart_baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --phase1) phase1=$2 ;;
    --rate) rate=$2 ;;
    --total) total=$2 ;;
    --fast-rate) fast_rate=$2 ;;
    --max-concurrent-jobs) max_jobs=$2 ;;
    --operator-flags) operator_flags=$2 ;;
    --restart-baseline) restart_baseline=$(realpath "$2") ;;
    --perf) perf=true; shift; continue ;;  # profile the operator during phase 1 (perf record)
    *) echo "run.sh: unknown flag $1" >&2; exit 2 ;;
  esac
  shift 2
done
((total >= phase1)) || { echo "run.sh: --total must be >= --phase1" >&2; exit 2; }
((max_jobs >= phase1)) || { echo "run.sh: --max-concurrent-jobs must be >= --phase1" >&2; exit 2; }
[ -x "$build/modelgate" ] || { echo "run.sh: no $build/modelgate (ninja -C $build modelgate)" >&2; exit 2; }

out="$build/bench-operator/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
ns=bench-operator
operator_pid=""
sampler_pid=""
cleanup() {
  if [ -n "${perf_pid:-}" ]; then kill -INT "$perf_pid" 2>/dev/null || true; wait "$perf_pid" 2>/dev/null || true; fi
  if [ -n "$sampler_pid" ]; then kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; fi
  if [ -n "$operator_pid" ]; then kill "$operator_pid" 2>/dev/null || true; wait "$operator_pid" 2>/dev/null || true; fi
  "$root/e2e/harness/testbed.sh" down "$build" >"$out/testbed-down.log" 2>&1 ||
    { echo "run.sh: testbed down failed, see $out/testbed-down.log" >&2; tail -5 "$out/testbed-down.log" >&2; }
}
trap cleanup EXIT
log() { echo "$(date +%T) $*" >&2; }
# cpu_seconds PID: user plus system CPU time the process has used.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat"; }
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_for SECONDS CMD...: runs CMD until it succeeds; fails after SECONDS.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "run.sh: timed out waiting for: $*" >&2; return 1; }
    sleep 0.5
  done
}
job_created_count() { grep -c " event=job_created namespace=$ns " "$out/operator.log" || true; }
metric() { curl -sf "http://$metrics_address/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }

log "bringing up the test bed"
"$root/e2e/harness/testbed.sh" up "$build" >"$out/testbed-up.log" 2>&1 ||
  { tail -20 "$out/testbed-up.log" >&2; exit 1; }
# shellcheck disable=SC1091
. "$build/e2e-state/env"
node=$(kubectl get nodes -o jsonpath='{.items[0].metadata.name}')
kubectl cordon "$node" >/dev/null
kubectl apply --server-side --force-conflicts -f "$root/crds/" >/dev/null
kubectl wait --for=condition=Established --timeout=60s \
  crd/modelversions.modelgate.io crd/modelgatepolicies.modelgate.io >/dev/null
wait_for 60 kubectl get modelversions.modelgate.io -A
kubectl create namespace "$ns" >/dev/null
wait_for 30 kubectl get serviceaccount default -n "$ns"

log "starting the operator: --max-concurrent-jobs $max_jobs $operator_flags"
health_address="127.0.0.1:$(free_port)"
metrics_address="127.0.0.1:$(free_port)"
# start_operator BINARY LOG: starts an operator, sets operator_pid.
start_operator() {
  # shellcheck disable=SC2086
  "$1" operator --kubeconfig "$KUBECONFIG" --validator-image modelgate/modelgate:dev \
    --max-concurrent-jobs "$max_jobs" --health-probe-bind-address "$health_address" \
    --metrics-bind-address "$metrics_address" $operator_flags >"$2" 2>&1 &
  operator_pid=$!
}
start_operator "$build/modelgate" "$out/operator.log"
wait_for 60 curl -sf "http://$health_address/readyz" || { tail "$out/operator.log" >&2; exit 1; }
rss_idle=$(status_kib "$operator_pid" VmRSS)

log "phase 1: $phase1 ModelVersions at $rate per second"
# component_cpu: "name cpu_seconds" for the operator and every test bed process, to see where
# the machine's two cores went.
component_cpu() {
  local f pid
  echo "operator $(cpu_seconds "$operator_pid")"
  for f in "$MODELGATE_TESTBED_STATE"/pids/*.pid; do
    pid=$(cut -d' ' -f1 "$f")
    [ -r "/proc/$pid/stat" ] && echo "$(basename "$f" .pid) $(cpu_seconds "$pid")"
  done
}
component_cpu >"$out/cpu-before-phase1.txt"
# The operator's queue and reconciles, once a second, to tell a backlog in the operator from
# slow API calls inside its reconciles.
(
  while kill -0 "$operator_pid" 2>/dev/null; do
    echo "$(date +%s.%N | cut -c1-14) $(metric modelgate_workqueue_depth) $(metric modelgate_reconciles_total) $(metric modelgate_reconcile_duration_seconds_sum) $(cpu_seconds "$operator_pid")"
    sleep 1
  done
) >"$out/operator-samples.txt" 2>/dev/null &
sampler_pid=$!
perf_pid=""
if $perf; then
  perf record -F 499 -g -p "$operator_pid" -o "$out/perf.data" >"$out/perf.log" 2>&1 &
  perf_pid=$!
fi
python3 "$here/create_modelversions.py" --namespace "$ns" --first 0 --count "$phase1" \
  --rate "$rate" --connections 8 --out "$out/creates-phase1.csv"
wait_for 300 sh -c "[ \$(grep -c ' event=job_created namespace=$ns ' '$out/operator.log') -ge $phase1 ]" ||
  { echo "run.sh: $(job_created_count) of $phase1 first Jobs were created" >&2; exit 1; }
component_cpu >"$out/cpu-after-phase1.txt"
if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; perf_pid=""; fi
jobs_phase1=$(kubectl get jobs -n "$ns" --no-headers | wc -l)
hwm_phase1=$(status_kib "$operator_pid" VmHWM)
cpu_phase1=$(cpu_seconds "$operator_pid")
rss_phase1=$(status_kib "$operator_pid" VmRSS)
python3 "$here/latency_report.py" --creates "$out/creates-phase1.csv" --log "$out/operator.log" \
  --namespace "$ns" >"$out/phase1.json"
cp "$out/operator.log" "$out/operator-phase1.log"
curl -sf "http://$metrics_address/metrics" >"$out/metrics-phase1.txt" || true

more=$((total - phase1))
log "phase 2: $more more ModelVersions at $fast_rate per second"
if ((more > 0)); then
  python3 "$here/create_modelversions.py" --namespace "$ns" --first "$phase1" --count "$more" \
    --rate "$fast_rate" --connections 16 --out "$out/creates-phase2.csv"
fi
# Settled: the operator has written a status (a Job, or waiting for a slot) to every
# ModelVersion, which logs its first phase; listing 10,000 objects to check would load the
# machine the operator is measured on.
with_status() {
  grep " event=phase namespace=$ns " "$out/operator.log" | grep -o ' name=[^ ]*' | sort -u | wc -l
}
wait_for 600 sh -c "[ \$(grep ' event=phase namespace=$ns ' '$out/operator.log' | grep -o ' name=[^ ]*' | sort -u | wc -l) -ge $total ]" ||
  { echo "run.sh: only $(with_status) of $total ModelVersions have a status" >&2; exit 1; }
log "every ModelVersion has a status; sampling the operator's memory for 30 s"
: >"$out/rss-settled.txt"
for _ in 1 2 3 4 5 6 7; do
  echo "$(date +%s) $(status_kib "$operator_pid" VmRSS) $(cpu_seconds "$operator_pid") $(metric modelgate_workqueue_depth)" >>"$out/rss-settled.txt"
  sleep 5
done
rss_settled=$(tail -1 "$out/rss-settled.txt" | cut -d' ' -f2)
hwm_total=$(status_kib "$operator_pid" VmHWM)
jobs_total=$(kubectl get jobs -n "$ns" --no-headers | wc -l)
apiserver_rss=$(status_kib "$(cut -d' ' -f1 "$MODELGATE_TESTBED_STATE/pids/kube-apiserver.pid")" VmRSS)
# One object of each kind the operator caches, as the API server sends them, and where the
# operator's memory is.
mkdir -p "$out/samples"
kubectl get modelversion -n "$ns" bench-00000 -o json --show-managed-fields >"$out/samples/modelversion-with-job.json"
kubectl get modelversion -n "$ns" "bench-$(printf %05d $((total - 1)))" -o json --show-managed-fields >"$out/samples/modelversion-waiting.json"
kubectl get jobs -n "$ns" -o json --show-managed-fields | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["items"][0], indent=2))' >"$out/samples/job.json"
kubectl get pods -n "$ns" -o json --show-managed-fields | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["items"][0], indent=2))' >"$out/samples/pod.json"
curl -sf "http://$metrics_address/metrics" >"$out/metrics-end.txt" || true
cp "/proc/$operator_pid/status" "$out/operator-status.txt"
cp "/proc/$operator_pid/smaps_rollup" "$out/operator-smaps-rollup.txt" 2>/dev/null || true
mv_bytes=$(kubectl get modelversion -n "$ns" bench-00000 -o json --show-managed-fields | wc -c)
mv_bytes_no_mf=$(kubectl get modelversion -n "$ns" bench-00000 -o json | wc -c)

# restart BINARY NAME: stops the running operator, starts BINARY over the cached
# ModelVersions and prints a JSON member with its time to ready, its peak RSS (the relist of
# every ModelVersion, Job and Pod) and its RSS 30 s later.
restart() {
  kill -TERM "$operator_pid"
  wait "$operator_pid" 2>/dev/null || true
  operator_pid=""
  local start ready
  start=$(date +%s.%N)
  start_operator "$1" "$out/operator-restart-$2.log"
  wait_for 300 curl -sf "http://$health_address/readyz" ||
    { tail "$out/operator-restart-$2.log" >&2; exit 1; }
  ready=$(echo "$(date +%s.%N) - $start" | bc)
  local hwm_ready
  hwm_ready=$(status_kib "$operator_pid" VmHWM)
  sleep 30
  printf '"%s": {"ready_s": %.1f, "hwm_at_ready_kib": %s, "hwm_kib": %s, "rss_after_30s_kib": %s}' \
    "$2" "$ready" "$hwm_ready" "$(status_kib "$operator_pid" VmHWM)" "$(status_kib "$operator_pid" VmRSS)"
}
# Run in this shell, not a command substitution: operator_pid must follow the restarts.
restarts=""
if [ -n "$restart_baseline" ]; then
  log "restart over $total ModelVersions: baseline $restart_baseline"
  restart "$restart_baseline" baseline >"$out/restart-baseline.json"
  restarts="$(cat "$out/restart-baseline.json"), "
fi
log "restart over $total ModelVersions: $build/modelgate"
restart "$build/modelgate" build >"$out/restart-build.json"
restarts="$restarts$(cat "$out/restart-build.json")"

python3 - "$out" <<PY >"$out/results.json"
import json, sys
out = sys.argv[1]
phase1 = json.load(open(out + "/phase1.json"))
print(json.dumps({
    "phase1": phase1,
    "jobs_after_phase1": $jobs_phase1,
    "operator_cpu_s": {"phase1": $cpu_phase1, "end": $(cpu_seconds "$operator_pid")},
    "operator_kib": {"idle_rss": $rss_idle, "phase1_hwm": $hwm_phase1, "phase1_rss": $rss_phase1,
                      "settled_rss_$total": $rss_settled, "hwm_$total": $hwm_total},
    "jobs_after_phase2": $jobs_total,
    "apiserver_rss_kib": $apiserver_rss,
    "modelversion_json_bytes": {"as_stored": $mv_bytes, "without_managed_fields": $mv_bytes_no_mf},
    "restart": {$restarts},
}, indent=2))
PY
cat "$out/results.json"
log "results in $out"
