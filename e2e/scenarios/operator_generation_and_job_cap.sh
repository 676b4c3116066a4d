# A new generation of a ModelVersion starts a fresh validation and deletes the Jobs of the old
# one; the annotation modelgate.io/revalidate=<token> forces a fresh validation of the same
# generation; --max-concurrent-jobs caps the validation Jobs running at once.
. "$MODELGATE_ROOT/e2e/harness/operator.sh"
install_crds
ns=$(new_namespace gen)
data_only() {
  modelversion "$1" good "    data: {maxDriftShare: $2}
    quality: {enabled: false}
    robustness: {enabled: false}
    stress: {enabled: false}"
}
for name in a b c; do data_only "$name" 0.25 | kubectl apply -n "$ns" -f - >/dev/null; done
start_operator gen --namespace "$ns" --max-concurrent-jobs 1

# With a cap of one, no two validation Jobs are ever active together.
running_jobs() {
  kubectl get jobs -n "$ns" -o jsonpath='{range .items[*]}{.status.active}{"\n"}{end}' | grep -c '^1$' || true
}
deadline=$((SECONDS + 180))
most=0
until [ "$(kubectl get mv -n "$ns" -o jsonpath='{.items[*].status.phase}')" = "Passed Passed Passed" ]; do
  ((SECONDS < deadline)) || { kubectl get mv,jobs -n "$ns" >&2; fail "a, b and c did not all pass"; }
  now=$(running_jobs)
  ((now > most)) && most=$now
  sleep 0.2
done
((most <= 1)) || fail "$most validation Jobs ran at once with --max-concurrent-jobs 1"
expect_eq 3 "$(grep -c 'event=job_created' "$OPERATOR_LOG")" "Jobs created for a, b and c"

# A new generation: the old generation's Job and ConfigMap go, a new validation runs.
old_job=$(mv_field "$ns" a '.status.gates[?(@.name=="data")].job')
data_only a 0.5 | kubectl apply -n "$ns" -f - >/dev/null
expect_eq 2 "$(mv_field "$ns" a .metadata.generation)" "generation after the spec change"
wait_until 120 sh -c "[ \"\$(kubectl get mv -n $ns a -o jsonpath='{.status.observedGeneration} {.status.phase}')\" = '2 Passed' ]" ||
  { kubectl get mv -n "$ns" a -o yaml >&2; fail "generation 2 of a was not validated"; }
new_job=$(mv_field "$ns" a '.status.gates[?(@.name=="data")].job')
[ "$new_job" != "$old_job" ] || fail "generation 2 reused Job $old_job"
expect_contains "$new_job" "-data-g2-" "generation 2's Job"
wait_until 60 sh -c "! kubectl get job -n $ns $old_job" || fail "the stale Job $old_job was not deleted"
wait_until 60 sh -c "! kubectl get configmap -n $ns $old_job" || fail "the stale ConfigMap $old_job was not deleted"

# Revalidation of the same generation on request.
before=$(mv_field "$ns" b '.status.gates[?(@.name=="data")].job')
kubectl annotate mv -n "$ns" b modelgate.io/revalidate=after-incident >/dev/null
wait_until 120 sh -c "j=\$(kubectl get mv -n $ns b -o jsonpath='{.status.gates[?(@.name==\"data\")].job}'); [ -n \"\$j\" ] && [ \"\$j\" != $before ]" ||
  fail "the revalidate annotation did not start a new Job"
wait_phase "$ns" b Passed 120
expect_eq 1 "$(mv_field "$ns" b .metadata.generation)" "b's generation"
