# Deleting a Job's owner garbage-collects the Job (the real garbage collector at work).
ns=$(new_namespace gc)
kubectl create configmap -n "$ns" owner --from-literal=k=v >/dev/null
uid=$(kubectl get configmap -n "$ns" owner -o jsonpath='{.metadata.uid}')
kubectl apply -n "$ns" -f - <<YAML
apiVersion: batch/v1
kind: Job
metadata:
  name: owned
  ownerReferences:
    - apiVersion: v1
      kind: ConfigMap
      name: owner
      uid: $uid
      controller: true
      blockOwnerDeletion: true
spec:
  template:
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      containers:
        - name: main
          image: testbed/sleep:1
YAML
kubectl get job -n "$ns" owned >/dev/null
kubectl delete configmap -n "$ns" owner --cascade=foreground --wait=false >/dev/null
wait_until 60 sh -c "! kubectl get job -n $ns owned" || fail "job was not garbage-collected"
wait_until 60 sh -c "[ -z \"\$(kubectl get pods -n $ns -o name)\" ]" || { dump_pods "$ns"; fail "job's pods were not removed"; }
