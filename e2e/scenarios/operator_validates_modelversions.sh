# The operator validates ModelVersions with real validation Jobs: `modelgate validate` as the
# validator and MLServer as the serving sidecar, run by the node agent. A good model reaches
# Passed with all four gate conditions True and `kubectl wait --for=condition=Ready` returns;
# a worse one stops at the quality gate with the measured number in the condition, the later
# gates Skipped. Deleting a ModelVersion garbage-collects its Jobs and ConfigMaps.
. "$MODELGATE_ROOT/e2e/harness/operator.sh"
install_crds
ns=$(new_namespace op)
modelversion cancer-good good | kubectl apply -n "$ns" -f - >/dev/null
modelversion cancer-worse worse | kubectl apply -n "$ns" -f - >/dev/null
start_operator validates --namespace "$ns"

kubectl wait -n "$ns" --for=condition=Ready mv/cancer-good --timeout=240s >/dev/null || {
  kubectl get mv,jobs,pods -n "$ns" >&2; kubectl get mv -n "$ns" cancer-good -o yaml >&2
  tail -30 "$OPERATOR_LOG" >&2; fail "cancer-good did not become Ready"; }
expect_eq Passed "$(mv_field "$ns" cancer-good .status.phase)" "cancer-good phase"
for type in DataValidated QualityValidated RobustnessValidated StressTested; do
  expect_contains "$(mv_condition "$ns" cancer-good $type)" "True Passed:" "cancer-good $type"
done
expect_eq 1 "$(mv_field "$ns" cancer-good .status.observedGeneration)" "observedGeneration"
expect_contains "$(mv_field "$ns" cancer-good .status.validatedAt)" "T" "validatedAt"
# The measured numbers land in status.gates[].metrics.
auc=$(mv_field "$ns" cancer-good '.status.gates[?(@.name=="quality")].metrics.auc')
python3 -c "import sys; sys.exit(0 if float('$auc') > 0.95 else 1)" || fail "quality auc $auc not recorded"
p99=$(mv_field "$ns" cancer-good '.status.gates[?(@.name=="stress")].metrics.p99Ms')
[ -n "$p99" ] || fail "stress p99Ms not recorded"
# kubectl get shows the printer columns.
expect_contains "$(kubectl get mv -n "$ns" cancer-good)" "Passed   4/4" "kubectl get mv"

wait_phase "$ns" cancer-worse Failed 240
quality=$(mv_condition "$ns" cancer-worse QualityValidated)
expect_contains "$quality" "False Failed: auc 0.8" "cancer-worse QualityValidated"
expect_contains "$quality" "< threshold 0.9" "cancer-worse QualityValidated"
expect_contains "$(mv_condition "$ns" cancer-worse DataValidated)" "True Passed:" "cancer-worse DataValidated"
expect_contains "$(mv_condition "$ns" cancer-worse RobustnessValidated)" "False Skipped:" "cancer-worse RobustnessValidated"
expect_contains "$(mv_condition "$ns" cancer-worse StressTested)" "False Skipped:" "cancer-worse StressTested"
expect_contains "$(mv_condition "$ns" cancer-worse Ready)" "False GateFailed: gate quality failed" "cancer-worse Ready"
# No Job was started for the skipped gates.
expect_eq 2 "$(kubectl get jobs -n "$ns" -l modelgate.io/model-version=cancer-worse -o name | wc -l)" \
  "Jobs of cancer-worse"

# Every transition left an event; the failure is a Warning.
events=$(kubectl get events -n "$ns" --field-selector involvedObject.name=cancer-worse \
  -o jsonpath='{range .items[*]}{.type} {.reason}{"\n"}{end}')
expect_contains "$events" "Normal GatePassed" "events of cancer-worse"
expect_contains "$events" "Warning GateFailed" "events of cancer-worse"

# Validator pods carry no API credentials and run as a non-root user.
pod=$(kubectl get pods -n "$ns" -l modelgate.io/model-version=cancer-good,modelgate.io/gate=quality -o name)
pod=${pod%%$'\n'*}  # the first; `| head -1` would end kubectl with SIGPIPE, and pipefail the scenario
expect_eq false "$(kubectl get -n "$ns" "$pod" -o jsonpath='{.spec.automountServiceAccountToken}')" "automountServiceAccountToken"
expect_eq "" "$(kubectl get -n "$ns" "$pod" -o jsonpath='{.spec.volumes[?(@.projected)].name}')" "token volume"
expect_eq true "$(kubectl get -n "$ns" "$pod" -o jsonpath='{.spec.securityContext.runAsNonRoot}')" "runAsNonRoot"

# The operator's metrics count the outcomes.
metrics=$(curl -sf "http://$OPERATOR_METRICS/metrics")
expect_contains "$metrics" 'modelgate_gate_outcomes_total{gate="quality",outcome="Failed"} 1' "/metrics"
expect_contains "$metrics" 'modelgate_gate_outcomes_total{gate="stress",outcome="Passed"} 1' "/metrics"

# Deleting a ModelVersion takes its Jobs and ConfigMaps with it (ownerReferences, real GC).
[ -n "$(kubectl get configmaps -n "$ns" -l modelgate.io/model-version=cancer-good -o name)" ] ||
  fail "no gate ConfigMaps for cancer-good"
kubectl delete mv -n "$ns" cancer-good >/dev/null
wait_until 60 sh -c "[ -z \"\$(kubectl get jobs,configmaps -n $ns -l modelgate.io/model-version=cancer-good -o name)\" ]" ||
  fail "Jobs or ConfigMaps of cancer-good were not garbage-collected"
expect_eq 2 "$(kubectl get jobs -n "$ns" -l modelgate.io/model-version=cancer-worse -o name | wc -l)" \
  "Jobs of cancer-worse after deleting cancer-good"
