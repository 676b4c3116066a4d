# modelgate installed with its Helm chart runs in the cluster: the operator (two replicas on a
# Lease, in-cluster configuration from its projected token) validates ModelVersions applied
# with kubectl, and the webhook (two replicas behind its Service, TLS from the chart) admits a
# Deployment of the passed model and refuses one of the failed model with the reason.
# `helm upgrade` keeps the webhook's certificate; `helm uninstall` leaves nothing behind.
. "$MODELGATE_ROOT/e2e/harness/operator.sh"
. "$MODELGATE_ROOT/e2e/harness/chart.sh"
install_crds
install_chart
expect_eq 2 "$(kubectl get pods -n $CHART_NAMESPACE -l app.kubernetes.io/component=operator \
  --field-selector status.phase=Running -o name | wc -l)" "running operator pods"
wait_until 30 sh -c "[ -n \"\$(kubectl get lease -n $CHART_NAMESPACE modelgate-operator -o jsonpath='{.spec.holderIdentity}')\" ]" ||
  fail "no operator replica holds the Lease"

ns=$(new_namespace incluster)
kubectl label namespace "$ns" modelgate.io/enforce=true >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: modelgate.io/v1alpha1
kind: ModelGatePolicy
metadata:
  name: incluster-e2e
spec:
  namespaceSelector:
    matchLabels: {kubernetes.io/metadata.name: $ns}
  requiredGates: [data, quality]
  floors:
  - {gate: quality, metric: auc, min: 0.9}
  enforcement: Enforce
YAML
at_exit "kubectl delete modelgatepolicy incluster-e2e >/dev/null 2>&1"
gates='    data: {maxDriftShare: 0.25}
    quality: {timeoutSeconds: 120, threshold: 0.9, baselineMargin: 0.1}
    robustness: {enabled: false}
    stress: {enabled: false}'
# The operator's validation Jobs run in the Enforce namespace: the webhook lets them through.
modelversion good good "$gates" | kubectl apply -n "$ns" -f - >/dev/null
modelversion worse worse "$gates" | kubectl apply -n "$ns" -f - >/dev/null
wait_phase "$ns" good Passed 240
wait_phase "$ns" worse Failed 240

deployment() {
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $1
  annotations: {modelgate.io/model-version: $2}
spec:
  replicas: 1
  selector: {matchLabels: {app: $1}}
  template:
    metadata:
      labels: {app: $1}
      annotations: {modelgate.io/model-version: $2}
    spec:
      automountServiceAccountToken: false
      containers: [{name: main, image: testbed/sleep:1}]
YAML
}
deployment serve-good good | kubectl apply -n "$ns" -f - >/dev/null || fail "the Deployment of the passed model was refused"
# Its ReplicaSet and Pod, made by the controllers, are admitted too.
wait_until 90 sh -c "[ \"\$(kubectl get deploy -n $ns serve-good -o jsonpath='{.status.readyReplicas}')\" = 1 ]" ||
  { kubectl get rs,pods -n "$ns" >&2; kubectl get events -n "$ns" >&2; fail "serve-good did not become ready"; }
expect_fails kubectl apply -n "$ns" -f - <<<"$(deployment serve-worse worse)"
expect_contains "$OUT" "admission webhook" "refusal"
expect_contains "$OUT" "Deployment $ns/serve-worse: ModelVersion $ns/worse has not passed gate quality: auc 0.8" "refusal"
expect_contains "$OUT" "(policy incluster-e2e)" "refusal"

# helm upgrade: a changed setting rolls out; the webhook's certificate stays the same.
crt_before=$(kubectl get secret -n $CHART_NAMESPACE modelgate-webhook-tls -o jsonpath='{.data.tls\.crt}')
"$HELM" upgrade modelgate "$MODELGATE_ROOT/charts/modelgate" -n "$CHART_NAMESPACE" --reuse-values \
  --set webhook.timeoutSeconds=7 --wait --timeout 120s >/dev/null || fail "helm upgrade failed"
expect_eq 7 "$(kubectl get validatingwebhookconfiguration modelgate -o jsonpath='{.webhooks[0].timeoutSeconds}')" \
  "timeoutSeconds after the upgrade"
expect_eq "$crt_before" "$(kubectl get secret -n $CHART_NAMESPACE modelgate-webhook-tls -o jsonpath='{.data.tls\.crt}')" \
  "the webhook's certificate after the upgrade"
expect_fails kubectl apply -n "$ns" -f - <<<"$(deployment serve-worse-2 worse)"
expect_contains "$OUT" "has not passed gate quality" "refusal after the upgrade"

# helm uninstall leaves nothing of the release behind (the CRDs stay, as Helm keeps them).
"$HELM" uninstall modelgate -n "$CHART_NAMESPACE" --wait --timeout 60s >/dev/null || fail "helm uninstall failed"
left=$(kubectl get deploy,rs,pods,svc,secret,configmap,serviceaccount,role,rolebinding,pdb,lease \
  -n "$CHART_NAMESPACE" -l app.kubernetes.io/instance=modelgate -o name 2>/dev/null)
cluster_left=$(kubectl get clusterrole,clusterrolebinding,validatingwebhookconfiguration \
  -l app.kubernetes.io/instance=modelgate -o name)
wait_until 60 sh -c "[ -z \"\$(kubectl get pods -n $CHART_NAMESPACE -o name)\" ]" ||
  fail "pods left after uninstall: $(kubectl get pods -n $CHART_NAMESPACE -o name)"
[ -z "$left$cluster_left" ] || fail "left behind after helm uninstall: $left $cluster_left"
kubectl get crd modelversions.modelgate.io >/dev/null || fail "the CRDs went with the release"
