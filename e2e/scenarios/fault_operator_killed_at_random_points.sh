# Fault: the operator is killed with SIGKILL at random points of a validation, ten times in a
# row, each time started again. Every ModelVersion still ends in its right phase (good ones
# Passed, the worse one Failed at quality), with exactly one Job per gate that ran.
. "$MODELGATE_ROOT/e2e/harness/operator.sh"
install_crds
ns=$(new_namespace fault-kill)
gates='    data: {maxDriftShare: 0.25}
    quality: {timeoutSeconds: 120, threshold: 0.9, baselineMargin: 0.1}
    robustness: {timeoutSeconds: 120}
    stress: {timeoutSeconds: 120, concurrency: 1, durationSeconds: 2, warmupSeconds: 0, maxP99Ms: 500}'
for name in good-a good-b; do modelversion "$name" good "$gates" | kubectl apply -n "$ns" -f - >/dev/null; done
modelversion worse worse "$gates" | kubectl apply -n "$ns" -f - >/dev/null

RANDOM=20261128  # reproducible kill points
for trial in $(seq 1 10); do
  start_operator "kill-$trial" --namespace "$ns"
  delay_ms=$((RANDOM % 4000))
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -9 "$OPERATOR_PID"
  wait "$OPERATOR_PID" 2>/dev/null || true
  echo "trial $trial: killed after ${delay_ms} ms; phases: $(kubectl get mv -n "$ns" -o jsonpath='{.items[*].status.phase}')"
done
start_operator final --namespace "$ns"
wait_phase "$ns" good-a Passed 240
wait_phase "$ns" good-b Passed 240
wait_phase "$ns" worse Failed 240
expect_contains "$(mv_condition "$ns" worse QualityValidated)" "False Failed: auc" "worse QualityValidated"
for name in good-a good-b; do
  for gate in data quality robustness stress; do
    expect_eq 1 "$(kubectl get jobs -n "$ns" -l "modelgate.io/model-version=$name,modelgate.io/gate=$gate" -o name | wc -l)" \
      "Jobs of $name gate $gate"
  done
done
expect_eq 2 "$(kubectl get jobs -n "$ns" -l modelgate.io/model-version=worse -o name | wc -l)" "Jobs of worse"
