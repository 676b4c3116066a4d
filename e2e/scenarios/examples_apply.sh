# Every example in examples/ applies cleanly (server-side, so the API server validates it)
# and shows up in kubectl get with its printer columns.
install_crds
ns=$(new_namespace examples)
for f in "$MODELGATE_ROOT"/examples/*.yaml; do
  kubectl apply --server-side -n "$ns" -f "$f" >/dev/null || fail "example $(basename "$f") did not apply"
done
out=$(kubectl get mv -n "$ns")
expect_contains "$out" "MODEL" "kubectl get mv"
expect_contains "$out" "PHASE" "kubectl get mv"
[ "$(kubectl get mv -n "$ns" -o name | wc -l)" -ge 2 ] || fail "expected at least two example ModelVersions"
[ -n "$(kubectl get mgp -o name)" ] || fail "expected an example ModelGatePolicy"
# Cluster-scoped examples are not removed with the namespace.
for f in "$MODELGATE_ROOT"/examples/*.yaml; do
  if grep -q '^kind: ModelGatePolicy' "$f"; then kubectl delete -f "$f" --ignore-not-found >/dev/null; fi
done
