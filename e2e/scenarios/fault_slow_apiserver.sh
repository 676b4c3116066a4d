# Fault: a slow API server. The operator talks to kube-apiserver through a proxy that holds
# every chunk for 150 ms each way; validations still finish with the right verdicts and one
# Job per gate.
. "$MODELGATE_ROOT/e2e/harness/operator.sh"
install_crds
ns=$(new_namespace fault-slow)
gates='    data: {maxDriftShare: 0.25}
    quality: {timeoutSeconds: 120, threshold: 0.9, baselineMargin: 0.1}
    robustness: {enabled: false}
    stress: {enabled: false}'
modelversion good good "$gates" | kubectl apply -n "$ns" -f - >/dev/null
modelversion worse worse "$gates" | kubectl apply -n "$ns" -f - >/dev/null

work=$(mktemp -d)
at_exit "rm -rf $work"
server=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')
python3 "$MODELGATE_ROOT/e2e/harness/slow_proxy.py" "${server#https://}" 150 "$work/port" &
proxy=$!
at_exit "kill $proxy 2>/dev/null"
wait_until 10 test -s "$work/port" || fail "the delaying proxy did not start"
kubectl config view --raw --minify > "$work/kubeconfig"
KUBECONFIG="$work/kubeconfig" kubectl config set-cluster "$(kubectl config view --minify -o jsonpath='{.clusters[0].name}')" \
  --server "https://127.0.0.1:$(cat "$work/port")" >/dev/null
start=$(date +%s%N)
KUBECONFIG="$work/kubeconfig" kubectl get ns default >/dev/null
slow_ms=$((($(date +%s%N) - start) / 1000000))
((slow_ms >= 300)) || fail "the proxy does not slow requests down (${slow_ms} ms)"

KUBECONFIG="$work/kubeconfig" start_operator slow --namespace "$ns"
wait_phase "$ns" good Passed 240
wait_phase "$ns" worse Failed 240
for gate in data quality; do
  expect_eq 1 "$(kubectl get jobs -n "$ns" -l "modelgate.io/model-version=good,modelgate.io/gate=$gate" -o name | wc -l)" \
    "Jobs of good gate $gate"
done
expect_contains "$(mv_condition "$ns" worse QualityValidated)" "False Failed: auc" "worse QualityValidated"
