# Nobody marks a model Passed by hand: a write to modelversions/status by an ordinary user is
# refused by the webhook even when RBAC allows it, while the operator's service account
# writes status freely (the configuration's matchCondition does not even send its writes).
# shellcheck source=../harness/webhook.sh
. "$MODELGATE_ROOT/e2e/harness/webhook.sh"
# shellcheck source=../fixtures/admission/manifests.sh
. "$MODELGATE_ROOT/e2e/fixtures/admission/manifests.sh"
install_crds
ns=$(new_namespace admission-status)
grant_status_writes "$ns" "$OPERATOR_USER" alice
kubectl apply -n "$ns" -f - <<<"$(model_version fraud-v3)" >/dev/null
webhook_start
webhook_register "$ns"

# RBAC lets alice write status; the webhook does not.
passed=$(passed_status fraud-v3)
passed=${passed//GEN/1}
passed=${passed//NOW/$(date -u +%Y-%m-%dT%H:%M:%SZ)}
expect_fails kubectl patch modelversion -n "$ns" fraud-v3 --subresource=status --type=merge \
  --as=alice -p "{\"status\": $passed}"
expect_contains "$OUT" "admission webhook \"modelversion-status.modelgate.io\" denied the request: ModelVersion $ns/fraud-v3: status may only be written by $OPERATOR_USER, not by alice (a model's validation result comes from its CI gates)" \
  "alice's status patch"
expect_eq "" "$(kubectl get modelversion -n "$ns" fraud-v3 -o jsonpath='{.status.phase}')" \
  "phase after alice's patch"
# A full replace of the status by alice is refused the same way.
kubectl get modelversion -n "$ns" fraud-v3 -o json |
  jq --argjson s "$passed" '.status = $s' >"$WEBHOOK_DIR/replaced.json"
expect_fails kubectl replace --subresource=status --as=alice -f "$WEBHOOK_DIR/replaced.json"
expect_contains "$OUT" "status may only be written by $OPERATOR_USER, not by alice" \
  "alice's status replace"
# Writing the spec stays alice's right: only status is guarded.
kubectl patch modelversion -n "$ns" fraud-v3 --as=alice --type=merge \
  -p '{"metadata": {"labels": {"team": "fraud"}}}' >/dev/null

# The operator's service account writes the same status.
calls_before=$(webhook_requests)
set_model_status "$ns" fraud-v3 "$(passed_status fraud-v3)"
expect_eq Passed "$(kubectl get modelversion -n "$ns" fraud-v3 -o jsonpath='{.status.phase}')" \
  "phase after the operator's patch"
expect_eq "$calls_before" "$(webhook_requests)" "webhook calls for the operator's status write"
