# Fault: kube-apiserver restarted in the middle of validations, after etcd was compacted past
# what the operator's watches had seen. The watches come back with 410 Gone, the operator
# relists, and every ModelVersion still ends Passed with one Job per gate.
. "$MODELGATE_ROOT/e2e/harness/operator.sh"
install_crds
ns=$(new_namespace fault-api)
for name in a b c; do
  modelversion "$name" good '    data: {maxDriftShare: 0.25}
    quality: {timeoutSeconds: 120, threshold: 0.9, baselineMargin: 0.1}
    robustness: {enabled: false}
    stress: {timeoutSeconds: 120, concurrency: 1, durationSeconds: 4, warmupSeconds: 0, maxP99Ms: 500}' |
    kubectl apply -n "$ns" -f - >/dev/null
done
start_operator fault-api --namespace "$ns" --max-concurrent-jobs 2
wait_until 120 sh -c "[ -n \"\$(kubectl get jobs -n $ns -l modelgate.io/gate=quality -o name)\" ]" ||
  fail "no quality Job started"

# Writes the operator does not watch move etcd's revision on; then compact everything.
etcd="http://127.0.0.1:$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ports"]["etcdClient"])' \
  "$MODELGATE_TESTBED_STATE/cluster.json")"
other=$(new_namespace fault-api-writes)
for i in $(seq 1 20); do kubectl create configmap -n "$other" "w$i" --from-literal=i="$i" >/dev/null; done
revision=$(curl -sf -X POST "$etcd/v3/kv/range" -d '{"key":"Lw=="}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["header"]["revision"])')
curl -sf -X POST "$etcd/v3/kv/compaction" -d "{\"revision\":\"$revision\",\"physical\":true}" >/dev/null ||
  fail "etcd compaction at revision $revision failed"
"$MODELGATE_BUILD/bin/testbed" restart --state "$MODELGATE_TESTBED_STATE" kube-apiserver >/dev/null ||
  fail "kube-apiserver did not come back"

wait_until 240 sh -c "[ \"\$(kubectl get mv -n $ns -o jsonpath='{.items[*].status.phase}')\" = 'Passed Passed Passed' ]" ||
  { kubectl get mv,jobs -n "$ns" >&2; tail -30 "$OPERATOR_LOG" >&2; fail "not every ModelVersion passed after the restart"; }
for name in a b c; do
  for gate in data quality stress; do
    expect_eq 1 "$(kubectl get jobs -n "$ns" -l "modelgate.io/model-version=$name,modelgate.io/gate=$gate" -o name | wc -l)" \
      "Jobs of $name gate $gate"
  done
done
grep -q 'resource version expired, relisting' "$OPERATOR_LOG" ||
  { grep -E 'list/watch|relist' "$OPERATOR_LOG" >&2; fail "the operator never relisted after 410 Gone"; }
kill -0 "$OPERATOR_PID" || fail "the operator died"
