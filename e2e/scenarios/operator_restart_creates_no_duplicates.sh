# The operator killed with SIGKILL in the middle of a validation and started again finds the
# Jobs it created (their names are deterministic) instead of creating twins, and the
# ModelVersion still finishes: once killed while a gate's Job runs, once while the next
# gate's Job has just been created.
. "$MODELGATE_ROOT/e2e/harness/operator.sh"
install_crds
ns=$(new_namespace restart)
modelversion cancer-good good '    data: {maxDriftShare: 0.25}
    quality: {timeoutSeconds: 120, threshold: 0.9, baselineMargin: 0.1}
    robustness: {timeoutSeconds: 120}
    stress: {timeoutSeconds: 120, concurrency: 2, durationSeconds: 6, warmupSeconds: 1, maxP99Ms: 500}' |
  kubectl apply -n "$ns" -f - >/dev/null

gate_jobs() {
  kubectl get jobs -n "$ns" -l "modelgate.io/model-version=cancer-good,modelgate.io/gate=$1" -o name
}

start_operator restart-1 --namespace "$ns"
wait_until 120 sh -c "[ -n \"\$(kubectl get jobs -n $ns -l modelgate.io/gate=quality -o name)\" ]" ||
  fail "the quality gate's Job was never created"
kill -9 "$OPERATOR_PID"
wait "$OPERATOR_PID" 2>/dev/null || true
# While no operator runs, the quality Job finishes on its own.
start_operator restart-2 --namespace "$ns"
wait_until 180 sh -c "[ -n \"\$(kubectl get jobs -n $ns -l modelgate.io/gate=stress -o name)\" ]" ||
  fail "the stress gate's Job was never created"
kill -9 "$OPERATOR_PID"
wait "$OPERATOR_PID" 2>/dev/null || true
start_operator restart-3 --namespace "$ns"

wait_phase "$ns" cancer-good Passed 240
for gate in data quality robustness stress; do
  expect_eq 1 "$(gate_jobs $gate | wc -l)" "Jobs of gate $gate"
  expect_eq 1 "$(kubectl get pods -n "$ns" -l "modelgate.io/gate=$gate" -o name | wc -l)" "pods of gate $gate"
  job=$(mv_field "$ns" cancer-good ".status.gates[?(@.name==\"$gate\")].job")
  expect_eq "$(gate_jobs $gate)" "job.batch/$job" "status.gates[$gate].job"
done
expect_eq 4 "$(mv_field "$ns" cancer-good '.status.gates[*].phase' | tr ' ' '\n' | grep -c Passed)" \
  "gates Passed"
# No gate's start was announced twice. (A kill between creating a Job and recording its
# event may lose that event: events are best effort, the Job and the status are not.)
started=$(kubectl get events -n "$ns" --field-selector involvedObject.name=cancer-good,reason=GateStarted -o name | wc -l)
((started <= 4)) || fail "$started GateStarted events for 4 gates"
