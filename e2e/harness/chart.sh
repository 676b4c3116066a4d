# Installs modelgate's Helm chart into the test bed: `. "$MODELGATE_ROOT/e2e/harness/chart.sh"`
# after lib.sh. The node agent runs the operator and webhook pods from the image
# modelgate/modelgate:dev (this build's binary) with projected service-account tokens, so they
# use in-cluster configuration; the API server reaches the webhook through its Service.

HELM=$("$MODELGATE_ROOT/scripts/helm.sh" --installed) || fail "helm is not built; run scripts/setup.sh"
CHART_NAMESPACE=modelgate-system

# install_chart [HELM FLAGS...]: installs release "modelgate" into modelgate-system and waits
# for its Deployments; uninstalled when the scenario exits.
install_chart() {
  # A namespace still terminating from an earlier uninstall takes no new objects.
  wait_until 120 sh -c "! kubectl get namespace $CHART_NAMESPACE" ||
    fail "namespace $CHART_NAMESPACE is still there from an earlier release"
  at_exit uninstall_chart
  "$HELM" install modelgate "$MODELGATE_ROOT/charts/modelgate" -n "$CHART_NAMESPACE" \
    --create-namespace --set image.tag=dev --wait --timeout 120s "$@" >/dev/null || {
    kubectl get pods -n "$CHART_NAMESPACE" -o wide >&2
    kubectl logs -n "$CHART_NAMESPACE" deploy/modelgate-webhook --tail=20 >&2 || true
    kubectl logs -n "$CHART_NAMESPACE" deploy/modelgate-operator --tail=20 >&2 || true
    fail "helm install did not become ready"
  }
  # Ready pods are not yet the API server routing to them: wait until a request that the
  # webhook must see gets its answer.
  wait_until 60 kubectl get --raw "/readyz/poststarthook/generic-apiserver-start-informers"
}

# uninstall_chart: removes the release and its namespace (the CRDs stay, as Helm leaves them).
uninstall_chart() {
  "$HELM" uninstall modelgate -n "$CHART_NAMESPACE" --wait --timeout 60s >/dev/null 2>&1 || true
  kubectl delete namespace "$CHART_NAMESPACE" --wait=false >/dev/null 2>&1 || true
}
