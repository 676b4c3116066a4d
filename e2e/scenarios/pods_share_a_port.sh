# Two pods both listening on :8080 run at once, each in its own network namespace with its
# own IP, reachable from the host (as the API server reaches webhooks and probes).
ns=$(new_namespace ports)
for name in one two; do
kubectl apply -n "$ns" -f - <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: web-$name
spec:
  automountServiceAccountToken: false
  containers:
    - name: web
      image: testbed/python:1
      args: ["-c", "import http.server as h\nclass H(h.BaseHTTPRequestHandler):\n  def do_GET(s):\n    s.send_response(200); s.end_headers(); s.wfile.write(b'$name')\nh.HTTPServer(('0.0.0.0', 8080), H).serve_forever()"]
      readinessProbe:
        httpGet: {path: /, port: 8080}
        periodSeconds: 1
YAML
done
kubectl wait -n "$ns" --for=condition=Ready pod/web-one pod/web-two --timeout=60s || { dump_pods "$ns"; fail "pods not ready"; }
ip1=$(kubectl get pod -n "$ns" web-one -o jsonpath='{.status.podIP}')
ip2=$(kubectl get pod -n "$ns" web-two -o jsonpath='{.status.podIP}')
[ -n "$ip1" ] && [ "$ip1" != "$ip2" ] || fail "pods need distinct IPs, got '$ip1' and '$ip2'"
expect_eq one "$(curl -s --max-time 5 "http://$ip1:8080/")" "answer from web-one"
expect_eq two "$(curl -s --max-time 5 "http://$ip2:8080/")" "answer from web-two"
kubectl delete pod -n "$ns" web-one web-two --timeout=60s >/dev/null
