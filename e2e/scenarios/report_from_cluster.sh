# `modelgate report mv/NAME` against the test bed: the operator validates a ModelVersion with
# real validation Jobs (a candidate that fails robustness, runAll so every gate runs); the
# report reads its status and each validator's log through the API server and draws every
# gate's section with its charts. With the pods of the data gate's Job deleted (as
# ttlSecondsAfterFinished would), the page says that log is gone and still shows the data
# gate's verdict and metrics from the status.
. "$MODELGATE_ROOT/e2e/harness/operator.sh"
install_crds
ns=$(new_namespace report)
modelversion cancer-report nullfail '    runAll: true
    data: {maxDriftShare: 0.25}
    quality: {timeoutSeconds: 120, threshold: 0.9, baselineMargin: 0.1}
    robustness: {timeoutSeconds: 120}
    stress: {timeoutSeconds: 120, concurrency: 2, durationSeconds: 3, warmupSeconds: 1, maxP99Ms: 500, maxErrorRate: 0.01}' |
  kubectl apply -n "$ns" -f - >/dev/null
start_operator report --namespace "$ns"
wait_phase "$ns" cancer-report Failed 400
for gate in data quality stress; do
  [ "$(mv_field "$ns" cancer-report ".status.gates[?(@.name==\"$gate\")].phase")" = Passed ] ||
    fail "gate $gate did not pass: $(mv_field "$ns" cancer-report .status.gates)"
done

page="$MODELGATE_BUILD/e2e-logs/report-from-cluster.html"
"$MODELGATE_BIN" report mv/cancer-report -n "$ns" --kubeconfig "$KUBECONFIG" -o "$page" ||
  fail "modelgate report failed"
html=$(cat "$page")
for gate in data quality robustness stress; do
  expect_contains "$html" "<section class=\"gate\" id=\"gate-$gate\">" "the report"
done
expect_contains "$html" "aria-label=\"Distribution of " "the data gate's histograms"
expect_contains "$html" "<h3>Failed cases</h3>" "the robustness failures"
expect_contains "$html" "HTTP 500: the server failed on this input" "the robustness failures"
expect_contains "$html" "aria-label=\"Latency by percentile\"" "the stress gate's curve"
[[ "$html" != *"from the recorded percentiles only"* ]] || fail "the latency curve is not from the log"
[[ "$html" != *" is gone"* ]] || fail "a log is reported gone while every pod exists"
python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$page" ||
  fail "the report is not well-formed"

# The data gate's Job goes with its pods, as the TTL controller deletes it after
# ttlSecondsAfterFinished (foreground): the status still tells the verdict.
job=$(mv_field "$ns" cancer-report '.status.gates[?(@.name=="data")].job')
[ -n "$job" ] || fail "no Job recorded for the data gate"
kubectl delete job -n "$ns" "$job" --cascade=foreground --wait=true >/dev/null
wait_until 60 sh -c "[ -z \"\$(kubectl get pods -n $ns -l job-name=$job -o name)\" ]" ||
  fail "the pods of Job $job were not deleted"
expect_eq Passed "$(mv_field "$ns" cancer-report '.status.gates[?(@.name=="data")].phase')" \
  "the data gate's phase after its Job went"
"$MODELGATE_BIN" report mv/cancer-report -n "$ns" --kubeconfig "$KUBECONFIG" -o "$page" ||
  fail "modelgate report failed without the data gate's pods"
html=$(cat "$page")
data=${html#*id=\"gate-data\"}
data=${data%%</section>*}
expect_contains "$data" "the log of Job $job is gone" "the data gate's section"
expect_contains "$data" "spec.gates.data.maxDriftShare" "the data gate's metrics from the status"
expect_contains "$html" "<h3>Failed cases</h3>" "the robustness section, whose log remains"
echo "report: $page"
