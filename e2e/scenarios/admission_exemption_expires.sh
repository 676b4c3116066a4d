# A policy's exemption admits a Deployment whose model failed, and the admission is recorded
# as exempt; once the exemption's expiresAt has passed, the same Deployment is refused, with
# no change to the policy.
# shellcheck source=../harness/webhook.sh
. "$MODELGATE_ROOT/e2e/harness/webhook.sh"
# shellcheck source=../fixtures/admission/manifests.sh
. "$MODELGATE_ROOT/e2e/fixtures/admission/manifests.sh"
install_crds
ns=$(new_namespace admission-exempt)
policy=e2e-exempt-$ns
grant_status_writes "$ns" "$OPERATOR_USER"
kubectl apply -n "$ns" -f - <<<"$(model_version fraud-v3)" >/dev/null
set_model_status "$ns" fraud-v3 "$(failed_status)"
webhook_start
webhook_register "$ns"
refusal="ModelVersion $ns/fraud-v3 has not passed gate quality: auc 0.71 < floor 0.80 (policy $policy)"

# Without the exemption first, so that the webhook is known to hold the policy.
kubectl apply -f - <<<"$(model_gate_policy "$policy" "$ns" Enforce)" >/dev/null
delete_at_exit "modelgatepolicy/$policy"
wait_until 30 refused_with "$ns" "$(deployment fraud-api fraud-v3)" "$refusal" ||
  fail "the webhook never saw the policy"

# The exemption: this namespace, for the next 30 seconds.
expires_epoch=$(($(date +%s) + 30))
expires=$(date -u -d "@$expires_epoch" +%Y-%m-%dT%H:%M:%SZ)
kubectl apply -f - <<<"$(model_gate_policy "$policy" "$ns" Enforce "  exemptions:
  - namespaces: [$ns]
    expiresAt: \"$expires\"
    reason: migration window")" >/dev/null
wait_until 20 admitted "$ns" "$(deployment fraud-api fraud-v3)" ||
  fail "the exemption did not admit the Deployment"
kubectl create -n "$ns" -f - <<<"$(deployment fraud-api fraud-v3)" >/dev/null ||
  fail "the exemption did not admit the Deployment"
(($(date +%s) < expires_epoch)) || fail "too slow: the exemption expired before the check"
line=$(webhook_log_lines "admission allowed with findings" |
  grep -F "kind=Deployment namespace=$ns name=fraud-api " | grep -F "dryRun=false" || true)
expect_contains "$line" "auditAnnotations=\"policy-$policy=exempt: migration window\"" \
  "the webhook's record of the exempt admission"

# After expiresAt: refused, with the policy unchanged.
wait_until 60 refused_with "$ns" "$(deployment fraud-api-2 fraud-v3)" "$refusal" ||
  fail "the exemption did not expire"
(($(date +%s) >= expires_epoch)) || fail "refused before the exemption expired"
expect_refusal "$ns" "$(deployment fraud-api-2 fraud-v3)" workloads.modelgate.io \
  "Deployment $ns/fraud-api-2: $refusal"
