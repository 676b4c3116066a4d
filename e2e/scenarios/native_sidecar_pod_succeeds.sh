# A pod with a native sidecar (an init container with restartPolicy Always) starts the
# sidecar first, runs the main container, stops the sidecar, and reaches Succeeded.
ns=$(new_namespace sidecar)
kubectl apply -n "$ns" -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: with-sidecar
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  initContainers:
    - name: server
      image: testbed/python:1
      restartPolicy: Always
      args: ["-m", "http.server", "8080", "--bind", "0.0.0.0"]
      readinessProbe:
        httpGet: {path: /, port: 8080}
        periodSeconds: 1
  containers:
    - name: client
      image: testbed/python:1
      args: ["-c", "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8080/').status)"]
YAML
wait_until 90 sh -c "kubectl get pod -n $ns with-sidecar -o jsonpath='{.status.phase}' | grep -qx Succeeded" \
  || { dump_pods "$ns"; fail "pod did not succeed"; }
code=$(kubectl get pod -n "$ns" with-sidecar -o jsonpath='{.status.containerStatuses[0].state.terminated.exitCode}')
expect_eq 0 "$code" "client exit code"
sidecar=$(kubectl get pod -n "$ns" with-sidecar -o jsonpath='{.status.initContainerStatuses[0].state.terminated}')
[ -n "$sidecar" ] || fail "the sidecar was not stopped after the main container"
