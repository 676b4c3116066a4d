# A container that exits non-zero fails its Job; the exit code and the log tail (as the
# termination message, FallbackToLogsOnError) are reported like a kubelet would.
ns=$(new_namespace fail)
kubectl apply -n "$ns" -f - <<'YAML'
apiVersion: batch/v1
kind: Job
metadata:
  name: broken
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      containers:
        - name: main
          image: testbed/sh:1
          args: ['echo "could not open model.onnx"; exit 3']
          terminationMessagePolicy: FallbackToLogsOnError
YAML
kubectl wait -n "$ns" --for=condition=Failed job/broken --timeout=90s || { dump_pods "$ns"; fail "job did not fail"; }
term=$(kubectl get pods -n "$ns" -l job-name=broken -o jsonpath='{.items[0].status.containerStatuses[0].state.terminated}')
expect_contains "$term" '"exitCode":3' "terminated state"
expect_contains "$term" 'could not open model.onnx' "terminated state"
