# The model side and the operator for the operator scenarios: `. "$MODELGATE_ROOT/e2e/harness/operator.sh"`
# after lib.sh. The operator runs on the host with the test bed's admin kubeconfig; its
# validation Jobs run through the node agent with the real `modelgate validate` and MLServer.

# e2e_models: prints a directory with the models and datasets of e2e/modelserver/train.py,
# trained once per build directory. World-readable, since pods run as a non-root user.
e2e_models() {
  local dir venv
  dir="/var/tmp/modelgate-models-$(printf '%s' "$MODELGATE_BUILD" | sha256sum | cut -c1-12)"
  if [ ! -f "$dir/.trained" ]; then
    venv=$("$MODELGATE_ROOT/e2e/modelserver/setup-venv.sh" --print-path)
    rm -rf "$dir"
    mkdir -p "$dir"
    "$venv/bin/python" "$MODELGATE_ROOT/e2e/modelserver/train.py" "$dir" >&2 || fail "train.py failed"
    chmod -R a+rX "$dir"
    chmod 755 "$dir"
    touch "$dir/.trained"
  fi
  echo "$dir"
}

# modelversion NAME MODEL [GATES]: prints a ModelVersion serving e2e_models' model folder MODEL
# (good, worse, nullfail) with the breast-cancer datasets, every feature nullable, and the
# spec.gates YAML GATES (indented by four spaces; quick defaults a good model passes).
modelversion() {
  local name=$1 model=$2 gates=${3:-} dir features
  dir=$(e2e_models)
  features=$(head -1 "$dir/data/training.csv" | tr ',' '\n' | grep -v '^target$' |
    sed 's/^/      - {name: /; s/$/, nullable: true}/')
  if [ -z "$gates" ]; then
    gates='    data: {maxDriftShare: 0.25}
    quality: {timeoutSeconds: 120, threshold: 0.9, baselineMargin: 0.1}
    robustness: {timeoutSeconds: 120}
    stress: {timeoutSeconds: 120, concurrency: 2, durationSeconds: 3, warmupSeconds: 1, maxP99Ms: 500, maxErrorRate: 0.01}'
  fi
  cat <<YAML
apiVersion: modelgate.io/v1alpha1
kind: ModelVersion
metadata:
  name: $name
spec:
  model: cancer
  version: "$name"
  artifact: {uri: "file://$dir/models/$model/model.joblib", format: sklearn}
  serving: {image: modelgate/mlserver-sklearn:1.0, port: 8080, protocol: v2}
  datasets:
    training: {uri: "file://$dir/data/training.csv"}
    holdout: {uri: "file://$dir/data/holdout.csv"}
    reference: {uri: "file://$dir/data/reference.csv"}
  schema:
    task: classification
    target: target
    features:
$features
  gates:
$gates
YAML
}

# free_port: a loopback TCP port that was free a moment ago.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_operator NAME [FLAGS...]: starts `modelgate operator` on the host against the test
# bed, logging to BUILD/e2e-logs/operator-NAME.log, and waits for /healthz. It is killed when
# the scenario exits. Sets OPERATOR_PID, OPERATOR_LOG, OPERATOR_HEALTH and OPERATOR_METRICS
# (host:port).
start_operator() {
  local name=$1
  shift
  mkdir -p "$MODELGATE_BUILD/e2e-logs"
  OPERATOR_LOG="$MODELGATE_BUILD/e2e-logs/operator-$name.log"
  OPERATOR_HEALTH="127.0.0.1:$(free_port)"
  OPERATOR_METRICS="127.0.0.1:$(free_port)"
  "$MODELGATE_BIN" operator --kubeconfig "$KUBECONFIG" --validator-image modelgate/modelgate:dev \
    --health-probe-bind-address "$OPERATOR_HEALTH" --metrics-bind-address "$OPERATOR_METRICS" \
    "$@" >"$OPERATOR_LOG" 2>&1 &
  OPERATOR_PID=$!
  at_exit "kill -9 $OPERATOR_PID 2>/dev/null; wait $OPERATOR_PID 2>/dev/null"
  wait_until 30 curl -sf "http://$OPERATOR_HEALTH/healthz" ||
    { tail -20 "$OPERATOR_LOG" >&2; fail "operator $name did not come up"; }
}

# mv_field NS NAME JSONPATH: a field of a ModelVersion.
mv_field() {
  kubectl get modelversion -n "$1" "$2" -o jsonpath="{$3}"
}

# mv_condition NS NAME TYPE: "STATUS REASON: MESSAGE" of one condition.
mv_condition() {
  mv_field "$1" "$2" ".status.conditions[?(@.type==\"$3\")]" |
    python3 -c 'import json,sys; t=sys.stdin.read(); c=json.loads(t) if t else {}; print(c.get("status",""), c.get("reason","")+":", c.get("message",""))'
}

# wait_phase NS NAME PHASE SECONDS: waits for status.phase; on a timeout shows what there is.
wait_phase() {
  local ns=$1 name=$2 phase=$3
  wait_until "$4" sh -c "[ \"\$(kubectl get modelversion -n $ns $name -o jsonpath='{.status.phase}')\" = $phase ]" || {
    kubectl get modelversion -n "$ns" "$name" -o yaml >&2
    kubectl get jobs,pods -n "$ns" >&2
    fail "ModelVersion $ns/$name did not reach $phase"
  }
}
