# modelgate's own Kubernetes client (kube/) against the test bed's real kube-apiserver,
# authenticated with the admin client certificate: CRUD with optimistic concurrency,
# server-side apply, paged lists, watches (events after a list version, 410 Gone for a
# compacted version, cancel), an informer, a Lease with one holder, and events.k8s.io/v1
# series. The checks are the RestClientApiServerTest cases of the kube unit-test binary,
# which skip themselves unless MODELGATE_E2E_KUBECONFIG is set; they create and delete
# their own namespace.
tests="$MODELGATE_BUILD/tests/modelgate_kube_tests"
[ -x "$tests" ] || fail "$tests is not built"
out=$(MODELGATE_E2E_KUBECONFIG="$KUBECONFIG" "$tests" --gtest_filter='RestClientApiServerTest.*' 2>&1) ||
  fail "kube client against the API server: $out"
expect_contains "$out" "[  PASSED  ] 9 tests." "every API-server check ran and passed"
if [[ "$out" == *SKIPPED* ]]; then fail "API-server checks were skipped: $out"; fi
