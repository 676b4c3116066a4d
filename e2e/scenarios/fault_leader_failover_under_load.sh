# Fault: the leading operator replica is SIGKILLed while it works through a queue of
# ModelVersions (more than --max-concurrent-jobs). The other replica takes over and finishes
# them all: every one Passed, exactly one Job each.
. "$MODELGATE_ROOT/e2e/harness/operator.sh"
install_crds
ns=$(new_namespace failover)
election=(--namespace "$ns" --leader-elect --leader-election-namespace "$ns" --lease-name mg-failover
  --max-concurrent-jobs 3)
start_operator failover-a "${election[@]}"
a_pid=$OPERATOR_PID a_log=$OPERATOR_LOG
wait_until 30 grep -q event=leader_elected "$a_log" || fail "the first replica did not lead"
start_operator failover-b "${election[@]}"
b_log=$OPERATOR_LOG
data_only='    data: {maxDriftShare: 0.25}
    quality: {enabled: false}
    robustness: {enabled: false}
    stress: {enabled: false}'
names=$(seq -f 'mv-%02g' 1 12)
for name in $names; do modelversion "$name" good "$data_only"; echo '---'; done | kubectl apply -n "$ns" -f - >/dev/null
wait_until 60 sh -c "[ \$(grep -c event=job_created $a_log) -ge 3 ]" || fail "the leader started no Jobs"
{ kill -9 "$a_pid" && wait "$a_pid"; } 2>/dev/null || true
created_by_a=$(grep -c event=job_created "$a_log")
for name in $names; do wait_phase "$ns" "$name" Passed 240; done
for name in $names; do
  expect_eq 1 "$(kubectl get jobs -n "$ns" -l "modelgate.io/model-version=$name" -o name | wc -l)" "Jobs of $name"
done
created_by_b=$(grep -c event=job_created "$b_log" || true)
echo "Jobs created: $created_by_a by the killed leader, $created_by_b by its successor"
((created_by_a + created_by_b == 12)) || fail "Jobs created: $created_by_a + $created_by_b, want 12"
((created_by_b >= 1)) || fail "the successor created no Job"
