# A validation Job that ends without a result makes its gate Error with the reason, never
# Passed and never silently Failed: a serving sidecar that never gets ready runs the Job into
# its deadline (DeadlineExceeded), and a validator killed with SIGKILL on every attempt ends
# as exit 137 with no result.
. "$MODELGATE_ROOT/e2e/harness/operator.sh"
install_crds
ns=$(new_namespace death)

# Never ready: the "serving" image is a sleep, so the readiness probe never passes and the
# validator never starts. Deadline = timeoutSeconds 5 + the operator's start-up allowance 5.
modelversion never-ready good '    data: {enabled: false}
    quality: {timeoutSeconds: 5, threshold: 0.9}
    robustness: {enabled: false}
    stress: {enabled: false}' | sed 's#image: modelgate/mlserver-sklearn:1.0#image: testbed/sleep:1#' |
  kubectl apply -n "$ns" -f - >/dev/null
# Killed: a stress test long enough to kill its validator in the middle.
modelversion killed good '    data: {enabled: false}
    quality: {enabled: false}
    robustness: {enabled: false}
    stress: {timeoutSeconds: 300, concurrency: 1, durationSeconds: 120, warmupSeconds: 0, maxP99Ms: 500}' |
  kubectl apply -n "$ns" -f - >/dev/null
start_operator death --namespace "$ns" --job-startup-allowance 5

wait_phase "$ns" never-ready Error 120
expect_contains "$(mv_condition "$ns" never-ready QualityValidated)" \
  "False DeadlineExceeded: validation Job exceeded its deadline of 10s" "never-ready QualityValidated"
expect_contains "$(mv_condition "$ns" never-ready Ready)" "False GateError:" "never-ready Ready"

# The validator is a process on this host (the node agent runs containers as processes);
# kill it with SIGKILL on each of the Job's two attempts (backoffLimit 1).
# The bracket keeps the pattern from matching the shell that runs pgrep.
validator='modelgate validate --gate stres[s] --config /etc/modelgate/gate.json'
validator_pid() {
  pgrep -f -- "$validator" | head -1
}
for attempt in 1 2; do
  wait_until 120 pgrep -f -- "$validator" ||
    { kubectl get jobs,pods -n "$ns" >&2; fail "attempt $attempt: no validator process"; }
  pid=$(validator_pid)
  kill -9 "$pid"
  wait_until 30 sh -c "! kill -0 $pid" || fail "validator $pid survived SIGKILL"
done
wait_phase "$ns" killed Error 120
stress=$(mv_condition "$ns" killed StressTested)
expect_contains "$stress" "False ValidatorExited: validator exited with code 137 (killed) without a result" \
  "killed StressTested"
expect_eq 2 "$(kubectl get pods -n "$ns" -l modelgate.io/model-version=killed -o name | wc -l)" \
  "validator pods of killed (two attempts)"
events=$(kubectl get events -n "$ns" --field-selector involvedObject.name=killed \
  -o jsonpath='{range .items[*]}{.type} {.reason}{"\n"}{end}')
expect_contains "$events" "Warning GateError" "events of killed"
