# A Job whose pod runs a local command completes through the real Job controller and the
# node agent; the container's termination message shows in the pod status.
ns=$(new_namespace job)
kubectl apply -n "$ns" -f - <<'YAML'
apiVersion: batch/v1
kind: Job
metadata:
  name: hello
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      containers:
        - name: main
          image: testbed/sh:1
          command: ["/bin/sh", "-c"]
          args: ['echo "{\"verdict\":\"ok\"}" > /dev/termination-log; echo done']
YAML
kubectl wait -n "$ns" --for=condition=Complete job/hello --timeout=90s || { dump_pods "$ns"; fail "job did not complete"; }
msg=$(kubectl get pods -n "$ns" -l job-name=hello \
  -o jsonpath='{.items[0].status.containerStatuses[0].state.terminated.message}')
expect_eq '{"verdict":"ok"}' "$(echo "$msg" | tr -d '\n')" "termination message"
phase=$(kubectl get pods -n "$ns" -l job-name=hello -o jsonpath='{.items[0].status.phase}')
expect_eq Succeeded "$phase" "pod phase"
code=$(kubectl get pods -n "$ns" -l job-name=hello \
  -o jsonpath='{.items[0].status.containerStatuses[0].state.terminated.exitCode}')
expect_eq 0 "$code" "exit code"
# The container's output is there for kubectl logs, through the node agent's log endpoint.
expect_contains "$(kubectl logs -n "$ns" job/hello)" "done" "kubectl logs"
