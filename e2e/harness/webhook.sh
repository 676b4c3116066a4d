# Runs modelgate's admission webhook as a host process for a scenario, registered with the
# test bed's kube-apiserver through deploy/webhook/, so the real API server calls it over
# TLS. Sourced by a scenario after lib.sh:
#
#   . "$MODELGATE_ROOT/e2e/harness/webhook.sh"
#   webhook_start              certificates, the process, /readyz; sets WEBHOOK_PORT, WEBHOOK_PID
#   webhook_register NS        the ValidatingWebhookConfiguration, and a wait until the API
#                              server calls the webhook for requests in namespace NS
#
# At exit, even a failed one, the configuration, the cluster-scoped objects handed to
# delete_at_exit and the process are removed, in that order, before lib.sh deletes the
# namespaces. The webhook's log is printed when the scenario failed.

# The operator's service account: the only user the webhook lets write modelversions/status.
OPERATOR_USER=system:serviceaccount:modelgate-system:modelgate-operator

WEBHOOK_DIR=$(mktemp -d)
WEBHOOK_LOG="$WEBHOOK_DIR/webhook.log"
WEBHOOK_PID=""
WEBHOOK_PORT=""
WEBHOOK_CONFIGURATION=""
_webhook_cluster_objects=()

_webhook_teardown() {
  local status=$?
  if [ -n "$WEBHOOK_CONFIGURATION" ]; then
    kubectl delete validatingwebhookconfiguration "$WEBHOOK_CONFIGURATION" \
      --ignore-not-found >/dev/null 2>&1 || true
  fi
  local object
  for object in "${_webhook_cluster_objects[@]}"; do
    kubectl delete "$object" --ignore-not-found >/dev/null 2>&1 || true
  done
  webhook_stop
  if [ "$status" -ne 0 ] && [ -f "$WEBHOOK_LOG" ]; then
    echo "--- webhook log (last 40 lines) ---" >&2
    tail -n 40 "$WEBHOOK_LOG" >&2 || true
  fi
  rm -rf "$WEBHOOK_DIR"
  return "$status"
}

# lib.sh's EXIT trap deletes the namespaces; ours runs first, then that one.
_webhook_previous_exit_trap=$(trap -p EXIT)
_webhook_previous_exit_trap=${_webhook_previous_exit_trap#"trap -- '"}
_webhook_previous_exit_trap=${_webhook_previous_exit_trap%"' EXIT"}
# shellcheck disable=SC2064
trap "_webhook_teardown; $_webhook_previous_exit_trap" EXIT

# delete_at_exit KIND/NAME: a cluster-scoped object (a ModelGatePolicy, say) to delete at exit.
delete_at_exit() {
  _webhook_cluster_objects+=("$1")
}

# webhook_certs [SERIAL]: a CA (made once per scenario) and a serving certificate for
# 127.0.0.1 signed by it with the given serial (hex), written to WEBHOOK_DIR/tls.{crt,key} by
# rename, the way a rotated Secret lands, key first.
webhook_certs() {
  local serial=${1:-1001} d=$WEBHOOK_DIR
  if [ ! -f "$d/ca.crt" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
      -subj "/CN=modelgate-e2e-webhook-ca" -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  fi
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$d/next.key" -out "$d/next.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n' \
    >"$d/ext.cnf"
  openssl x509 -req -in "$d/next.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -set_serial "0x$serial" \
    -days 1 -extfile "$d/ext.cnf" -out "$d/next.crt" 2>/dev/null
  mv -f "$d/next.key" "$d/tls.key"
  mv -f "$d/next.crt" "$d/tls.crt"
}

# webhook_curl ARGS...: curl against the running webhook, trusting its CA. Prints the body
# followed by a last line with the HTTP status.
webhook_curl() {
  curl -sS --cacert "$WEBHOOK_DIR/ca.crt" -w '\n%{http_code}' "$@"
}

# webhook_url PATH: https://127.0.0.1:PORT/PATH.
webhook_url() {
  echo "https://127.0.0.1:$WEBHOOK_PORT$1"
}

# webhook_start [FLAGS...]: makes certificates (unless there are some), starts
# `modelgate webhook` on a free loopback port with the test bed's kubeconfig, and waits until
# it is ready (its caches synced). Extra flags go to the webhook.
webhook_start() {
  [ -f "$WEBHOOK_DIR/tls.crt" ] || webhook_certs
  "$MODELGATE_BIN" webhook --tls-cert-file "$WEBHOOK_DIR/tls.crt" \
    --tls-key-file "$WEBHOOK_DIR/tls.key" --address 127.0.0.1 --port 0 \
    --kubeconfig "$KUBECONFIG" "$@" >"$WEBHOOK_LOG" 2>&1 &
  WEBHOOK_PID=$!
  wait_until 30 grep -q 'msg="webhook serving"' "$WEBHOOK_LOG" ||
    fail "the webhook did not start"
  WEBHOOK_PORT=$(grep -o 'msg="webhook serving".*' "$WEBHOOK_LOG" | grep -o ' port=[0-9]*' |
    head -1 | cut -d= -f2)
  [ -n "$WEBHOOK_PORT" ] || fail "no port in the webhook's log"
  wait_until 60 _webhook_answers /readyz 200 || fail "the webhook did not become ready"
}

# _webhook_answers PATH STATUS: the webhook answers GET PATH with STATUS.
_webhook_answers() {
  local out
  out=$(webhook_curl "$(webhook_url "$1")") || return 1
  [ "${out##*$'\n'}" == "$2" ]
}

# webhook_alive: the process still runs and answers /healthz.
webhook_alive() {
  kill -0 "$WEBHOOK_PID" 2>/dev/null && _webhook_answers /healthz 200
}

# webhook_stop: SIGTERM, and a wait for the graceful stop (SIGKILL after 15 s).
webhook_stop() {
  [ -n "$WEBHOOK_PID" ] || return 0
  kill -TERM "$WEBHOOK_PID" 2>/dev/null || true
  local deadline=$((SECONDS + 15))
  while kill -0 "$WEBHOOK_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  kill -KILL "$WEBHOOK_PID" 2>/dev/null || true
  wait "$WEBHOOK_PID" 2>/dev/null || true
  WEBHOOK_PID=""
}

# webhook_requests [KIND [OPERATION [DECISION]]]: how many admission requests the webhook has
# answered (from its /metrics), all of them or those with the given labels.
webhook_requests() {
  local filter='modelgate_admission_requests_total{'
  [ -z "${1:-}" ] || filter+="kind=\"$1\","
  [ -z "${2:-}" ] || filter+="operation=\"$2\","
  [ -z "${3:-}" ] || filter+="decision=\"$3\"}"
  webhook_curl "$(webhook_url /metrics)" |
    awk -v f="$filter" 'index($0, f) == 1 { n += $NF } END { print n + 0 }'
}

# webhook_register NS: applies the ValidatingWebhookConfiguration rendered from
# deploy/webhook/ for this webhook, then waits until the API server calls it: a server-side
# dry run of a Pod in NS must reach the webhook (admitted or refused, either will do).
webhook_register() {
  local ns=$1 before
  WEBHOOK_CONFIGURATION="modelgate-e2e-$ns"
  "$MODELGATE_ROOT/deploy/webhook/render.sh" --ca-file "$WEBHOOK_DIR/ca.crt" \
    --url "$(webhook_url /validate)" --name "$WEBHOOK_CONFIGURATION" | kubectl apply -f - >/dev/null
  before=$(webhook_requests)
  wait_until 60 _webhook_called_since "$ns" "$before" ||
    fail "the API server does not call the webhook"
}

_webhook_called_since() {
  kubectl run -n "$1" webhook-probe --image=testbed/sleep:1 --restart=Never \
    --dry-run=server >/dev/null 2>&1 || true
  (($(webhook_requests) > $2))
}

# webhook_log_lines MSG: the webhook's log lines (key=value) whose msg is MSG.
webhook_log_lines() {
  grep -F "msg=\"$1\"" "$WEBHOOK_LOG" || true
}

# set_model_status NS NAME STATUS_JSON: writes a ModelVersion's status as the operator does
# (the status subresource, as the operator's service account), through the webhook when one
# is registered. `generation` in STATUS_JSON's observedGeneration may be left to this
# function: GEN is replaced by the object's metadata.generation, and NOW by the time.
set_model_status() {
  local ns=$1 name=$2 status=$3 generation now
  generation=$(kubectl get modelversion -n "$ns" "$name" -o jsonpath='{.metadata.generation}')
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  status=${status//GEN/$generation}
  status=${status//NOW/$now}
  kubectl patch modelversion -n "$ns" "$name" --subresource=status --type=merge \
    --as="$OPERATOR_USER" -p "{\"status\": $status}" >/dev/null
}

# grant_status_writes NS USER...: RBAC for USERs to read and write ModelVersions and their
# status in NS, so that the webhook, not RBAC, decides about status writes.
grant_status_writes() {
  local ns=$1
  shift
  kubectl create role -n "$ns" modelversion-status-writer \
    --verb=get,list,watch,create,update,patch \
    --resource=modelversions.modelgate.io,modelversions.modelgate.io/status >/dev/null
  local user args=()
  for user in "$@"; do
    if [[ "$user" == system:serviceaccount:* ]]; then
      args+=(--serviceaccount="${user#system:serviceaccount:}")
    else
      args+=(--user="$user")
    fi
  done
  kubectl create rolebinding -n "$ns" modelversion-status-writers \
    --role=modelversion-status-writer "${args[@]}" >/dev/null
}
