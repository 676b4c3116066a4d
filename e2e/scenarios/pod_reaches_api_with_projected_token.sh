# A pod with an automounted service-account token reaches the API server the way an
# in-cluster client does (KUBERNETES_SERVICE_HOST/PORT, the projected token and ca.crt),
# and is authenticated as its service account.
ns=$(new_namespace token)
kubectl apply -n "$ns" -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: in-cluster
spec:
  restartPolicy: Never
  containers:
    - name: main
      image: testbed/sh:1
      args:
        - |
          d=/var/run/secrets/kubernetes.io/serviceaccount
          curl -s --cacert $d/ca.crt -H "Authorization: Bearer $(cat $d/token)" \
            https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/$(cat $d/namespace)/pods \
            > /dev/termination-log
YAML
wait_until 60 sh -c "kubectl get pod -n $ns in-cluster -o jsonpath='{.status.phase}' | grep -qx Succeeded" \
  || { dump_pods "$ns"; fail "pod did not finish"; }
msg=$(kubectl get pod -n "$ns" in-cluster -o jsonpath='{.status.containerStatuses[0].state.terminated.message}')
# The default service account has no rights: a 403 that names it proves the token was accepted.
expect_contains "$msg" "system:serviceaccount:$ns:default" "API answer from inside the pod"
expect_contains "$msg" "forbidden" "API answer from inside the pod"
