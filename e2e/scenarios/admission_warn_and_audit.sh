# Warn and Audit policies admit a Deployment that names a failed model: under Warn, kubectl
# shows the reason as a warning; under Audit, nothing is shown and the reason goes into the
# AdmissionReview response's auditAnnotations. The test bed's API server keeps no audit log,
# so the annotation is checked in the webhook's own record of the response: its log line
# for admissions allowed with findings and its decision="audited" count.
# shellcheck source=../harness/webhook.sh
. "$MODELGATE_ROOT/e2e/harness/webhook.sh"
# shellcheck source=../fixtures/admission/manifests.sh
. "$MODELGATE_ROOT/e2e/fixtures/admission/manifests.sh"

# audited_dry_run NS MANIFEST: a server-side dry run in NS is admitted and counted audited.
audited_dry_run() {
  local before
  before=$(webhook_requests Deployment CREATE audited)
  admitted "$1" "$2" && (($(webhook_requests Deployment CREATE audited) > before))
}

install_crds
warn_ns=$(new_namespace admission-warn)
audit_ns=$(new_namespace admission-audit)
warn_policy=e2e-warn-$warn_ns
audit_policy=e2e-audit-$audit_ns
for ns in "$warn_ns" "$audit_ns"; do
  grant_status_writes "$ns" "$OPERATOR_USER"
  kubectl apply -n "$ns" -f - <<<"$(model_version fraud-v3)" >/dev/null
  set_model_status "$ns" fraud-v3 "$(failed_status)"
done
kubectl apply -f - <<<"$(model_gate_policy "$warn_policy" "$warn_ns" Warn)" >/dev/null
delete_at_exit "modelgatepolicy/$warn_policy"
kubectl apply -f - <<<"$(model_gate_policy "$audit_policy" "$audit_ns" Audit)" >/dev/null
delete_at_exit "modelgatepolicy/$audit_policy"
webhook_start
webhook_register "$warn_ns"

# Warn: created, and kubectl prints the reason.
reason="Deployment $warn_ns/fraud-api: ModelVersion $warn_ns/fraud-v3 has not passed gate quality: auc 0.71 < floor 0.80 (policy $warn_policy)"
wait_until 30 warned_with "$warn_ns" "$(deployment fraud-api fraud-v3)" "$reason" ||
  fail "the webhook never warned"
out=$(kubectl create -n "$warn_ns" -f - 2>&1 <<<"$(deployment fraud-api fraud-v3)") ||
  fail "a Warn policy refused the Deployment: $out"
expect_contains "$out" "Warning: $reason" "kubectl's output under Warn"
kubectl get deployment -n "$warn_ns" fraud-api >/dev/null
(($(webhook_requests Deployment CREATE warned) >= 1)) || fail "no warned decision counted"

# Audit: created silently; the response carries the reason as an audit annotation.
wait_until 30 audited_dry_run "$audit_ns" "$(deployment fraud-api fraud-v3)" ||
  fail "the webhook never audited"
audited_before=$(webhook_requests Deployment CREATE audited)
out=$(kubectl create -n "$audit_ns" -f - 2>&1 <<<"$(deployment fraud-api fraud-v3)") ||
  fail "an Audit policy refused the Deployment: $out"
[[ "$out" != *Warning* ]] || fail "an Audit policy showed a warning: $out"
kubectl get deployment -n "$audit_ns" fraud-api >/dev/null
expect_eq $((audited_before + 1)) "$(webhook_requests Deployment CREATE audited)" \
  "audited Deployment creations"
line=$(webhook_log_lines "admission allowed with findings" |
  grep -F "kind=Deployment namespace=$audit_ns name=fraud-api " | grep -F "dryRun=false" || true)
expect_contains "$line" "auditAnnotations=\"policy-$audit_policy=Deployment $audit_ns/fraud-api: ModelVersion $audit_ns/fraud-v3 has not passed gate quality: auc 0.71 < floor 0.80 (policy $audit_policy)\"" \
  "the webhook's audit record"
