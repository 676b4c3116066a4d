# With two operator replicas electing a leader on a Lease, only the leader reconciles; killing
# it with SIGKILL (no release of the Lease) hands leadership to the other replica within the
# lease duration (15 s) plus two jittered retry periods (up to 2.4 s each) and the time to
# observe it, and the new leader validates what comes next.
. "$MODELGATE_ROOT/e2e/harness/operator.sh"
install_crds
ns=$(new_namespace leader)
election=(--namespace "$ns" --leader-elect --leader-election-namespace "$ns" --lease-name modelgate-e2e)

is_leader() {
  curl -sf "http://$1/metrics" | grep -qx 'modelgate_leader 1'
}
holder() {
  kubectl get lease -n "$ns" modelgate-e2e -o jsonpath='{.spec.holderIdentity}'
}

start_operator leader-a "${election[@]}"
a_pid=$OPERATOR_PID a_metrics=$OPERATOR_METRICS a_log=$OPERATOR_LOG
wait_until 30 is_leader "$a_metrics" || fail "the first replica did not become leader"
start_operator leader-b "${election[@]}"
b_pid=$OPERATOR_PID b_metrics=$OPERATOR_METRICS b_log=$OPERATOR_LOG
a_identity=$(holder)
[ -n "$a_identity" ] || fail "the Lease has no holder"
expect_contains "$(grep event=starting "$a_log")" "identity=$a_identity" "leader's identity"

modelversion first good '    data: {maxDriftShare: 0.25}
    quality: {enabled: false}
    robustness: {enabled: false}
    stress: {enabled: false}' | kubectl apply -n "$ns" -f - >/dev/null
wait_phase "$ns" first Passed 120
is_leader "$b_metrics" && fail "both replicas claim to lead"
expect_eq 1 "$(grep -c event=job_created "$a_log")" "Jobs created by the leader"
expect_eq 0 "$(grep -c event=job_created "$b_log" || true)" "Jobs created by the follower"
expect_eq 0 "$(curl -sf "http://$b_metrics/metrics" | sed -n 's/^modelgate_reconciles_total //p')" \
  "reconciles by the follower"

killed_at=$(date +%s%N)
{ kill -9 "$a_pid" && wait "$a_pid"; } 2>/dev/null || true
wait_until 25 is_leader "$b_metrics" || fail "the second replica did not take over within 25 s"
took_ms=$((($(date +%s%N) - killed_at) / 1000000))
echo "handover after ${took_ms} ms"
# As client-go, the follower counts the 15 s from when it saw the last renewal, which it sees
# at its next retry (up to 2.4 s late); it acquires at the first retry after that (up to 2.4 s
# more); then the acquiring write and this loop's polling.
((took_ms <= 22000)) ||
  fail "handover took ${took_ms} ms, more than the lease duration plus two retry periods"
[ "$(holder)" != "$a_identity" ] || fail "the Lease still names the killed leader"

modelversion second good '    data: {maxDriftShare: 0.25}
    quality: {enabled: false}
    robustness: {enabled: false}
    stress: {enabled: false}' | kubectl apply -n "$ns" -f - >/dev/null
wait_phase "$ns" second Passed 120
expect_contains "$(grep event=job_created "$b_log")" "name=second" "the new leader's Jobs"
