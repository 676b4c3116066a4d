# Security of the installed chart: the service accounts can do what they need and nothing
# else (an RBAC matrix with `kubectl auth can-i`), the webhook speaks TLS 1.2 or newer only and
# refuses weak ciphers, and its pods run as non-root with a read-only root filesystem.
. "$MODELGATE_ROOT/e2e/harness/chart.sh"
install_crds
install_chart
op=system:serviceaccount:$CHART_NAMESPACE:modelgate-operator
wh=system:serviceaccount:$CHART_NAMESPACE:modelgate-webhook

# can USER VERB RESOURCE [FLAGS...] / cannot ...: one cell of the matrix each.
can() {
  kubectl auth can-i --as "$1" "${@:2}" >/dev/null 2>&1 || fail "$1 should be able to: ${*:2}"
}
cannot() {
  ! kubectl auth can-i --as "$1" "${@:2}" >/dev/null 2>&1 || fail "$1 must not be able to: ${*:2}"
}
cells=0
for verb in get list watch; do
  can "$op" "$verb" modelversions.modelgate.io -A; can "$op" "$verb" modelgatepolicies.modelgate.io
  can "$op" "$verb" jobs.batch -A; can "$op" "$verb" pods -A; can "$op" "$verb" namespaces
  can "$wh" "$verb" modelversions.modelgate.io -A; can "$wh" "$verb" modelgatepolicies.modelgate.io
  can "$wh" "$verb" namespaces
  cells=$((cells + 8))
done
can "$op" update modelversions.modelgate.io --subresource=status -n ml
can "$op" create jobs.batch -n ml; can "$op" delete jobs.batch -n ml
can "$op" create configmaps -n ml; can "$op" delete configmaps -n ml
can "$op" create events.events.k8s.io -n ml
can "$op" get leases.coordination.k8s.io/modelgate-operator -n "$CHART_NAMESPACE"
can "$op" update leases.coordination.k8s.io/modelgate-operator -n "$CHART_NAMESPACE"
cells=$((cells + 8))
# What neither may do: secrets anywhere, writes to specs or policies, workloads, RBAC,
# other Leases, exec into pods, impersonation.
for sa in "$op" "$wh"; do
  for res in secrets; do
    for verb in get list watch create; do cannot "$sa" "$verb" "$res" -A; cells=$((cells + 1)); done
  done
  for verb in create update patch delete; do
    cannot "$sa" "$verb" modelversions.modelgate.io -n ml
    cannot "$sa" "$verb" modelgatepolicies.modelgate.io
    cannot "$sa" "$verb" deployments.apps -n ml
    cannot "$sa" "$verb" clusterroles.rbac.authorization.k8s.io
    cells=$((cells + 4))
  done
  cannot "$sa" create pods/exec -n ml
  cannot "$sa" impersonate serviceaccounts
  cannot "$sa" update leases.coordination.k8s.io/kube-scheduler -n kube-system
  cannot "$sa" get configmaps -n ml
  cells=$((cells + 4))
done
cannot "$wh" update modelversions.modelgate.io --subresource=status -n ml
cannot "$wh" create jobs.batch -n ml
cannot "$wh" create events.events.k8s.io -n ml
cannot "$wh" get pods -n ml
cannot "$wh" get leases.coordination.k8s.io/modelgate-operator -n "$CHART_NAMESPACE"
cannot "$op" patch modelversions.modelgate.io --subresource=status -n ml
cells=$((cells + 6))
echo "RBAC matrix: $cells cells checked"

# TLS on the webhook pods: 1.2 and 1.3 are served, 1.1 and weak ciphers are not.
ip=$(kubectl get pods -n "$CHART_NAMESPACE" -l app.kubernetes.io/component=webhook -o jsonpath='{.items[0].status.podIP}')
port=$(kubectl get pods -n "$CHART_NAMESPACE" -l app.kubernetes.io/component=webhook \
  -o jsonpath='{.items[0].spec.containers[0].ports[0].containerPort}')
handshake() {
  echo | timeout 10 openssl s_client -connect "$ip:$port" "$@" 2>&1 || true
}
expect_contains "$(handshake -tls1_2)" "New, TLSv1.2, Cipher is ECDHE-" "TLS 1.2 handshake"
expect_contains "$(handshake -tls1_3)" "New, TLSv1.3, Cipher is TLS_" "TLS 1.3 handshake"
for old in -tls1_1 -tls1; do
  expect_contains "$(handshake "$old" -cipher 'DEFAULT:@SECLEVEL=0')" "Cipher is (NONE)" "a $old handshake"
done
# Ciphers without forward secrecy, CBC with SHA-1/SHA-384 MACs, NULL and Camellia: refused.
for weak in AES128-SHA AES256-SHA AES128-GCM-SHA256 ECDHE-RSA-AES128-SHA ECDHE-RSA-AES256-SHA384 \
  NULL-SHA256 CAMELLIA128-SHA; do
  expect_contains "$(handshake -tls1_2 -cipher "$weak:@SECLEVEL=0")" "Cipher is (NONE)" "cipher $weak"
done
for strong in ECDHE-RSA-AES256-GCM-SHA384 ECDHE-RSA-CHACHA20-POLY1305; do
  expect_contains "$(handshake -tls1_2 -cipher "$strong")" "Cipher is $strong" "cipher $strong"
done

# Hardened pods.
for component in operator webhook; do
  spec=$(kubectl get pods -n "$CHART_NAMESPACE" -l app.kubernetes.io/component=$component -o jsonpath='{.items[0].spec}')
  expect_contains "$spec" '"runAsNonRoot":true' "$component pod securityContext"
  expect_contains "$spec" '"readOnlyRootFilesystem":true' "$component container securityContext"
  expect_contains "$spec" '"allowPrivilegeEscalation":false' "$component container securityContext"
  expect_contains "$spec" '"type":"RuntimeDefault"' "$component seccomp profile"
done
