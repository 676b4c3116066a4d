# Fault: one of the two webhook replicas is killed with SIGKILL while admissions keep coming.
# No admission is decided wrongly: a Deployment of the passed model is never refused for its
# model, one of the failed model is never admitted; a request that reaches no replica fails
# closed with the API server's "failed calling webhook" error, as failurePolicy Fail documents.
. "$MODELGATE_ROOT/e2e/harness/operator.sh"
. "$MODELGATE_ROOT/e2e/harness/chart.sh"
install_crds
install_chart
ns=$(new_namespace webhook-kill)
kubectl apply -f - >/dev/null <<YAML
apiVersion: modelgate.io/v1alpha1
kind: ModelGatePolicy
metadata:
  name: webhook-kill-e2e
spec:
  namespaceSelector:
    matchLabels: {kubernetes.io/metadata.name: $ns}
  requiredGates: [data]
  enforcement: Enforce
YAML
at_exit "kubectl delete modelgatepolicy webhook-kill-e2e >/dev/null 2>&1"
data_only='    data: {maxDriftShare: 0.25}
    quality: {enabled: false}
    robustness: {enabled: false}
    stress: {enabled: false}'
modelversion good good "$data_only" | kubectl apply -n "$ns" -f - >/dev/null
modelversion drifted good "$data_only" | sed 's#/data/training.csv#/data/training-drifted.csv#' |
  kubectl apply -n "$ns" -f - >/dev/null
wait_phase "$ns" good Passed 180
wait_phase "$ns" drifted Failed 180

deployment() {
  printf '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","annotations":{"modelgate.io/model-version":"%s"}},"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"m","image":"testbed/sleep:1"}]}}}}' "$1" "$2"
}
# admit MODEL I: a server-side dry run of a Deployment naming MODEL; prints one verdict line.
admit() {
  local out
  if out=$(deployment "d-$2" "$1" | kubectl create -n "$ns" --dry-run=server -f - 2>&1); then
    echo "$1 admitted"
  elif [[ "$out" == *"has not passed gate"* ]]; then
    echo "$1 refused"
  elif [[ "$out" == *"failed calling webhook"* ]]; then
    echo "$1 unreachable"
  else
    echo "$1 other: $out"
  fi
}
verdicts=$(mktemp)
at_exit "rm -f $verdicts"
(for i in $(seq 1 120); do admit good "$i"; admit drifted "$i"; done >"$verdicts") &
load=$!
# Kill one replica's process (the node agent runs it as a local process) mid-stream.
wait_until 60 sh -c "[ \$(wc -l <$verdicts) -ge 20 ]" || fail "no admissions are being decided"
victim=$(kubectl get pods -n "$CHART_NAMESPACE" -l app.kubernetes.io/component=webhook -o jsonpath='{.items[0].metadata.name}')
victim_pid=$(pgrep -f -- "modelgate webhook --tls-cert-file" | head -1)
[ -n "$victim_pid" ] || fail "no webhook process to kill"
kill -9 "$victim_pid"
wait "$load"

total=$(wc -l <"$verdicts")
good_ok=$(grep -c '^good admitted$' "$verdicts" || true)
drifted_ok=$(grep -c '^drifted refused$' "$verdicts" || true)
unreachable=$(grep -c ' unreachable$' "$verdicts" || true)
echo "admissions: $total; good admitted $good_ok, drifted refused $drifted_ok, failed closed $unreachable"
grep -q '^good refused$' "$verdicts" && fail "a Deployment of the passed model was refused for its model"
grep -q '^drifted admitted$' "$verdicts" && fail "a Deployment of the failed model was admitted"
grep -q ' other: ' "$verdicts" && fail "unexpected answers: $(grep ' other: ' "$verdicts" | head -3)"
expect_eq 240 "$total" "admissions tried"
((good_ok + drifted_ok + unreachable == total)) || fail "verdicts do not add up"
((unreachable <= 12)) || fail "$unreachable of $total admissions found no replica; the Service should route around the dead one"
# The killed replica comes back (restartPolicy Always) and both serve again.
wait_until 90 sh -c "[ \"\$(kubectl get deploy -n $CHART_NAMESPACE modelgate-webhook -o jsonpath='{.status.readyReplicas}')\" = 2 ]" ||
  fail "the killed webhook replica did not come back"
restarts=$(kubectl get pods -n "$CHART_NAMESPACE" -l app.kubernetes.io/component=webhook \
  -o jsonpath='{range .items[*]}{.status.containerStatuses[0].restartCount}{"\n"}{end}' | awk '{s += $1} END {print s + 0}')
((restarts >= 1)) || fail "no webhook replica was restarted: the kill did not land"
expect_eq "good admitted" "$(admit good final)" "after recovery"
expect_eq "drifted refused" "$(admit drifted final)" "after recovery"
