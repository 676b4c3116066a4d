# modelgate's CRDs become Established and teach the user through kubectl: short names,
# the ml category, printer columns and field documentation in kubectl explain.
install_crds
resources=$(kubectl api-resources --categories=ml -o name)
expect_contains "$resources" modelversions.modelgate.io "ml category"
expect_contains "$resources" modelgatepolicies.modelgate.io "ml category"
short=$(kubectl api-resources --api-group=modelgate.io)
expect_contains "$short" " mv " "short names"
expect_contains "$short" " mgp " "short names"
explain=$(kubectl explain modelversion.spec.gates.quality)
expect_contains "$explain" "threshold" "kubectl explain modelversion.spec.gates.quality"
expect_contains "$explain" "DESCRIPTION" "kubectl explain modelversion.spec.gates.quality"
ns=$(new_namespace crd)
empty=$(kubectl get mv -n "$ns" 2>&1) || fail "kubectl get mv in an empty namespace: $empty"
expect_contains "$empty" "No resources found in $ns namespace" "kubectl get mv in an empty namespace"
columns=$(kubectl get crd modelversions.modelgate.io -o jsonpath='{.spec.versions[0].additionalPrinterColumns[*].name}')
for c in Model Version Phase Gates Age; do expect_contains "$columns" "$c" "printer columns"; done
