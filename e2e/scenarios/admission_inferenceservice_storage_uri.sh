# A KServe InferenceService names its model by storageUri. The webhook matches it against the
# artifact URIs of known ModelVersions: one serving a failed model's artifact is refused with
# that model's reason, one serving a passed model's artifact is created, and one serving an
# artifact no ModelVersion describes is refused. KServe's CRD is stood in for by a minimal
# structural one from e2e/fixtures/admission.
# shellcheck source=../harness/webhook.sh
. "$MODELGATE_ROOT/e2e/harness/webhook.sh"
# shellcheck source=../fixtures/admission/manifests.sh
. "$MODELGATE_ROOT/e2e/fixtures/admission/manifests.sh"
install_crds
kubectl apply -f "$MODELGATE_ROOT/e2e/fixtures/admission/inferenceservice-crd.yaml" >/dev/null
delete_at_exit crd/inferenceservices.serving.kserve.io
kubectl wait --for=condition=Established --timeout=60s crd/inferenceservices.serving.kserve.io \
  >/dev/null
wait_until 60 kubectl get inferenceservices.serving.kserve.io -A

ns=$(new_namespace admission-isvc)
policy=e2e-isvc-$ns
grant_status_writes "$ns" "$OPERATOR_USER"
good=s3://models/$ns/fraud/2
bad=s3://models/$ns/fraud/3
kubectl apply -n "$ns" -f - <<<"$(model_version fraud-v2 "$good")" >/dev/null
kubectl apply -n "$ns" -f - <<<"$(model_version fraud-v3 "$bad")" >/dev/null
set_model_status "$ns" fraud-v2 "$(passed_status fraud-v2)"
set_model_status "$ns" fraud-v3 "$(failed_status)"
kubectl apply -f - <<<"$(model_gate_policy "$policy" "$ns" Enforce)" >/dev/null
delete_at_exit "modelgatepolicy/$policy"
webhook_start
webhook_register "$ns"

w=serving-models.modelgate.io
wait_until 30 refused_with "$ns" "$(inference_service fraud "$bad")" "(policy $policy)" ||
  fail "the webhook never refused an InferenceService"
expect_refusal "$ns" "$(inference_service fraud "$bad")" $w \
  "InferenceService $ns/fraud: ModelVersion $ns/fraud-v3 has not passed gate quality: auc 0.71 < floor 0.80 (policy $policy)"
expect_refusal "$ns" "$(inference_service fraud "s3://models/$ns/fraud/9")" $w \
  "InferenceService $ns/fraud: storageUri s3://models/$ns/fraud/9 is not the artifact of any known ModelVersion (policy $policy)"
kubectl create -n "$ns" -f - <<<"$(inference_service fraud "$good")" >/dev/null
expect_eq "$good" \
  "$(kubectl get inferenceservice -n "$ns" fraud -o jsonpath='{.spec.predictor.model.storageUri}')" \
  "the admitted InferenceService's storageUri"
# Pointing it at the failed model's artifact is decided again, and refused.
expect_fails kubectl patch inferenceservice -n "$ns" fraud --type=merge \
  -p "{\"spec\": {\"predictor\": {\"model\": {\"storageUri\": \"$bad\"}}}}"
expect_contains "$OUT" "admission webhook \"$w\" denied the request: InferenceService $ns/fraud: ModelVersion $ns/fraud-v3 has not passed gate quality" \
  "an update to a failed model's artifact"
