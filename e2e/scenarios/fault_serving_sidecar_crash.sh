# Fault: the serving sidecar crashes in the middle of a stress test. The requests it drops
# count as errors, so the stress gate fails with the error rate recorded — the model server
# did not hold up — and the Job is not run twice.
. "$MODELGATE_ROOT/e2e/harness/operator.sh"
install_crds
ns=$(new_namespace fault-crash)
modelversion crashy good '    data: {enabled: false}
    quality: {enabled: false}
    robustness: {enabled: false}
    stress: {timeoutSeconds: 120, concurrency: 2, durationSeconds: 15, warmupSeconds: 0, maxP99Ms: 500, maxErrorRate: 0.01}' |
  kubectl apply -n "$ns" -f - >/dev/null
start_operator crash --namespace "$ns"

# The validator starts once the sidecar is ready; give the load a moment, then kill MLServer.
validator='modelgate validate --gate stres[s] --config /etc/modelgate/gate.json'
wait_until 120 pgrep -f -- "$validator" || fail "the stress validator never started"
sleep 3
server=$(pgrep -f -- "mlserver start /tmp/mode[l]" | head -1)
[ -n "$server" ] || fail "no MLServer process to kill"
kill -9 "$server"

wait_phase "$ns" crashy Failed 120
stress=$(mv_condition "$ns" crashy StressTested)
expect_contains "$stress" "False Failed:" "crashy StressTested"
expect_contains "$stress" "error rate" "crashy StressTested"
rate=$(mv_field "$ns" crashy '.status.gates[?(@.name=="stress")].metrics.errorRate')
python3 -c "import sys; sys.exit(0 if float('$rate') > 0.01 else 1)" || fail "error rate $rate not above 0.01"
expect_eq 1 "$(kubectl get jobs -n "$ns" -l modelgate.io/model-version=crashy -o name | wc -l)" "Jobs of crashy"
