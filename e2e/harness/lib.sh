# Assertions and waits for the end-to-end scenarios. Sourced by run-scenario.sh.
# Waits poll a condition until a deadline; nothing sleeps for a fixed time and hopes.

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_eq WANT GOT [WHAT]
expect_eq() {
  [ "$1" == "$2" ] || fail "${3:-value}: want '$1', got '$2'"
}

# expect_contains HAYSTACK NEEDLE [WHAT]
expect_contains() {
  [[ "$1" == *"$2"* ]] || fail "${3:-output} does not contain '$2':"$'\n'"$1"
}

# expect_fails CMD...: runs CMD, which must exit non-zero; its output is left in $OUT.
expect_fails() {
  if OUT=$("$@" 2>&1); then fail "expected a refusal from: $*"$'\n'"$OUT"; fi
}

# wait_until SECONDS CMD...: runs CMD until it succeeds or SECONDS pass.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      echo "timed out waiting for: $*" >&2
      "$@" >&2 || true
      return 1
    fi
    sleep 0.2
  done
}

# Namespaces made by new_namespace, deleted when the scenario exits. Scenarios call it in a
# command substitution (a subshell), whose own EXIT trap would delete the namespace at once,
# so the names go to a file that the scenario's shell reads on exit.
_scenario_namespaces=$(mktemp)
_delete_scenario_namespaces() {
  while read -r ns; do
    kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
  done <"$_scenario_namespaces"
  rm -f "$_scenario_namespaces"
}

# at_exit CMD: runs the shell command CMD when the scenario exits, the last registered first,
# before its namespaces go. Call it from the scenario's own shell, not a command substitution.
_scenario_exit_cmds=()
at_exit() {
  _scenario_exit_cmds=("$1" "${_scenario_exit_cmds[@]}")
}
_on_scenario_exit() {
  local cmd
  for cmd in "${_scenario_exit_cmds[@]}"; do eval "$cmd" || true; done
  _delete_scenario_namespaces
}
trap _on_scenario_exit EXIT

# new_namespace PREFIX: creates a fresh namespace, deleted when the scenario exits.
new_namespace() {
  local ns
  ns="$1-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  kubectl create namespace "$ns" >/dev/null
  echo "$ns" >>"$_scenario_namespaces"
  wait_until 30 kubectl get serviceaccount default -n "$ns"
  echo "$ns"
}

# dump_pods NS: what the pods of a namespace look like, for failure messages.
dump_pods() {
  kubectl get pods -n "$1" -o wide >&2 || true
  kubectl get pods -n "$1" -o yaml >&2 || true
}

# install_crds: applies modelgate's CRDs and waits until the API server serves them.
install_crds() {
  kubectl apply --server-side --force-conflicts -f "$MODELGATE_ROOT/crds/" >/dev/null
  kubectl wait --for=condition=Established --timeout=60s \
    crd/modelversions.modelgate.io crd/modelgatepolicies.modelgate.io >/dev/null
  # Established comes a moment before discovery and the published OpenAPI catch up.
  wait_until 60 kubectl get modelversions.modelgate.io -A
  wait_until 60 kubectl get modelgatepolicies.modelgate.io
  wait_until 60 kubectl explain modelversion.spec.gates.quality
}
