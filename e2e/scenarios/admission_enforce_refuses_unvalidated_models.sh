# The kube-apiserver calls modelgate's webhook over TLS. Under an Enforce policy, a
# Deployment that names a model which passed its gates is created; one that names a failed,
# pending, never validated, unknown or stale (spec changed since validation) model is refused
# with a message naming the workload, the model, the gate and the number against its floor.
# A Job naming the passed model runs: the Pod the Job controller makes for it is admitted by
# the webhook as well. An UPDATE that keeps the model annotation is admitted by the
# configuration's matchCondition without calling the webhook; one that changes it is decided.
# shellcheck source=../harness/webhook.sh
. "$MODELGATE_ROOT/e2e/harness/webhook.sh"
# shellcheck source=../fixtures/admission/manifests.sh
. "$MODELGATE_ROOT/e2e/fixtures/admission/manifests.sh"
install_crds
ns=$(new_namespace admission-enforce)
policy=e2e-enforce-$ns
grant_status_writes "$ns" "$OPERATOR_USER"

for mv in fraud-v2 fraud-v3 fraud-v4 fraud-v5 fraud-v6; do
  kubectl apply -n "$ns" -f - <<<"$(model_version "$mv")" >/dev/null
done
webhook_start
webhook_register "$ns"
# Status written as the operator writes it, through the registered webhook.
set_model_status "$ns" fraud-v2 "$(passed_status fraud-v2)"
set_model_status "$ns" fraud-v3 "$(failed_status)"
set_model_status "$ns" fraud-v4 "$(pending_status)"
set_model_status "$ns" fraud-v5 "$(passed_status fraud-v5)"
# fraud-v6 gets no status at all.
kubectl patch modelversion -n "$ns" fraud-v5 --type=merge -p '{"spec": {"version": "5b"}}' \
  >/dev/null
expect_eq 2 "$(kubectl get modelversion -n "$ns" fraud-v5 -o jsonpath='{.metadata.generation}')" \
  "fraud-v5 generation after its spec changed"

kubectl apply -f - <<<"$(model_gate_policy "$policy" "$ns" Enforce)" >/dev/null
delete_at_exit "modelgatepolicy/$policy"
# The webhook's caches follow the API server by watch: wait until they hold the policy and the
# last status written, then check each answer exactly.
stale=$(deployment fraud-api-stale fraud-v5)
wait_until 30 refused_with "$ns" "$stale" "is stale" || fail "the webhook never saw the policy"

requests_before=$(webhook_requests Deployment CREATE)
kubectl create -n "$ns" -f - <<<"$(deployment fraud-api fraud-v2)" >/dev/null
expect_eq 1 "$(webhook_requests Deployment CREATE allowed)" "Deployments the webhook admitted"
# The test bed runs the Job controller (not the Deployment one): the Pod it creates for an
# admitted Job goes through the webhook too, and is admitted.
pods_before=$(webhook_requests Pod CREATE allowed)
kubectl create -n "$ns" -f - <<<"$(job fraud-batch fraud-v2)" >/dev/null
kubectl wait -n "$ns" --for=condition=Complete job/fraud-batch --timeout=90s >/dev/null ||
  { dump_pods "$ns"; fail "the admitted Job did not complete"; }
expect_eq 1 "$(webhook_requests Job CREATE allowed)" "Jobs the webhook admitted"
(($(webhook_requests Pod CREATE allowed) > pods_before)) ||
  fail "the Job controller's Pod did not go through the webhook"

w=workloads.modelgate.io
expect_refusal "$ns" "$(deployment fraud-api-failed fraud-v3)" $w \
  "Deployment $ns/fraud-api-failed: ModelVersion $ns/fraud-v3 has not passed gate quality: auc 0.71 < floor 0.80 (policy $policy)"
expect_refusal "$ns" "$(deployment fraud-api-pending fraud-v4)" $w \
  "Deployment $ns/fraud-api-pending: ModelVersion $ns/fraud-v4 has not passed gate data: phase Pending (policy $policy); Deployment $ns/fraud-api-pending: ModelVersion $ns/fraud-v4 has not passed gate quality: phase Pending (policy $policy)"
expect_refusal "$ns" "$(deployment fraud-api-never fraud-v6)" $w \
  "Deployment $ns/fraud-api-never: ModelVersion $ns/fraud-v6 has not been validated yet: the operator has reported no status (policy $policy)"
expect_refusal "$ns" "$(deployment fraud-api-unknown fraud-v9)" $w \
  "Deployment $ns/fraud-api-unknown: ModelVersion $ns/fraud-v9 does not exist (policy $policy)"
expect_refusal "$ns" "$stale" $w \
  "Deployment $ns/fraud-api-stale: ModelVersion $ns/fraud-v5 is stale: spec generation 2 has not been validated (last validated generation 1) (policy $policy)"
expect_refusal "$ns" "$(deployment fraud-api-none "")" $w \
  "Deployment $ns/fraud-api-none: references no ModelVersion (set the annotation modelgate.io/model-version) (policy $policy)"
(($(webhook_requests Deployment CREATE) >= requests_before + 6)) ||
  fail "the refusals did not come from the webhook"
for d in fraud-api-failed fraud-api-pending fraud-api-never fraud-api-unknown fraud-api-stale; do
  expect_fails kubectl get deployment -n "$ns" "$d"
done

# Relabelling keeps the model: the matchCondition admits it without a call.
updates_before=$(webhook_requests Deployment UPDATE)
kubectl label deployment -n "$ns" fraud-api tier=gold >/dev/null
expect_eq "$updates_before" "$(webhook_requests Deployment UPDATE)" "webhook calls for a relabel"
denied_before=$(webhook_requests Deployment UPDATE denied)
# Switching the template to the failed model is a rollout: decided, and refused.
expect_fails kubectl patch deployment -n "$ns" fraud-api --type=merge \
  -p '{"spec": {"template": {"metadata": {"annotations": {"modelgate.io/model-version": "fraud-v3"}}}}}'
expect_contains "$OUT" "ModelVersion $ns/fraud-v3 has not passed gate quality: auc 0.71 < floor 0.80" \
  "rollout to a failed model"
expect_eq $((denied_before + 1)) "$(webhook_requests Deployment UPDATE denied)" \
  "webhook calls for a model change"
