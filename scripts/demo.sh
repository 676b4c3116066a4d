#!/usr/bin/env bash
# The main job: starts the local control plane, installs modelgate with its Helm chart, trains
# two scikit-learn models, and shows the whole flow with kubectl: a good candidate passing its
# CI gates, a drifted and weaker one failing them, and the admission webhook admitting a
# Deployment of the first and refusing one of the second with the reason. The control plane
# keeps running afterwards so you can explore it; `make down` (this script with --down) stops it.
#   demo.sh BUILD_DIR [--down]
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$root" && mkdir -p "$build" && cd "$build" && pwd)
state="$build/demo-state"
launcher="$build/bin/testbed"
# The example ModelVersions name their models and datasets under /srv/modelgate.
models=${MODELGATE_DEMO_MODELS:-/srv/modelgate}

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

if [ "${2:-}" == "--down" ]; then
  if [ -x "$launcher" ] && [ -d "$state" ]; then "$launcher" down --state "$state"; fi
  rm -rf "$state"
  echo "demo: control plane stopped"
  exit 0
fi
started=$SECONDS

step "Starting the local control plane (etcd, kube-apiserver, controller-manager, scheduler, node agent)"
bindir=$("$root/e2e/testbed/tools/build.sh")
mkdir -p "$build/bin"
(cd "$root/e2e/testbed" && CGO_ENABLED=0 GOTOOLCHAIN=local go build -o "$launcher" ./cmd/testbed)
if [ -d "$state" ]; then "$launcher" down --state "$state" >/dev/null 2>&1 || true; rm -rf "$state"; fi
mkdir -p "$state"
# The image map: modelgate/modelgate:dev is this build's binary, the MLServer image serves
# the artifact a ModelVersion names.
"$root/e2e/harness/images.sh" "$build" > "$build/demo-images.json"
"$launcher" up --state "$state" --bin "$bindir" --images "$build/demo-images.json"
# shellcheck disable=SC1091
. "$state/env"
show kubectl get nodes

step "Installing modelgate with Helm (operator and webhook, two replicas each)"
helm=$("$root/scripts/helm.sh")
printf '$ helm install modelgate charts/modelgate -n modelgate-system --create-namespace --set image.tag=dev --wait\n'
"$helm" upgrade --install modelgate "$root/charts/modelgate" -n modelgate-system --create-namespace \
  --set image.tag=dev --wait --timeout 180s >/dev/null
show kubectl get pods -n modelgate-system
show kubectl api-resources --api-group=modelgate.io

step "Training two models on scikit-learn's breast cancer data into $models"
venv=$("$root/e2e/modelserver/setup-venv.sh" --print-path)
mkdir -p "$models"
"$venv/bin/python" "$root/e2e/modelserver/train.py" "$models"
chmod -R a+rX "$models"
echo "models/good:  imputer + scaler + logistic regression, trained on today's data"
echo "models/worse: a one-split decision tree, trained on data from a production that has moved"

step "A cluster policy: namespaces labelled modelgate.io/enforce=true run only models that passed"
kubectl create namespace ml --dry-run=client -o yaml | kubectl apply -f - >/dev/null
show kubectl label namespace ml modelgate.io/enforce=true --overwrite
show kubectl apply -f "$root/examples/modelgatepolicy-enforce.yaml"

step "Two ModelVersions: 1.0.0 (the good model) and 1.1.0 (the drifted, weaker candidate)"
show kubectl apply -n ml -f "$root/examples/modelversion-classifier.yaml"
echo "The operator runs one validation Job per gate: data, quality, robustness, stress."
last=""
deadline=$((SECONDS + 600))
while :; do
  # Printed when a phase or a gate count changes (not for the AGE column ticking).
  now=$(kubectl get mv -n ml -o jsonpath='{range .items[*]}{.status.phase}{.status.gatesPassed}{" "}{end}')
  if [ "$now" != "$last" ]; then
    printf '\n$ kubectl get mv -n ml   (%ss)\n' "$((SECONDS - started))"
    kubectl get mv -n ml
    last=$now
  fi
  finished=$(kubectl get mv -n ml -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}' |
    grep -cE '^(Passed|Failed|Error)$' || true)
  [ "$finished" -eq 2 ] && break
  if ((SECONDS > deadline)); then
    echo "demo: the validations did not finish in 10 minutes" >&2
    kubectl get jobs,pods -n ml >&2
    exit 1
  fi
  sleep 1
done
show kubectl wait -n ml --for=condition=Ready mv/breast-cancer-1-0-0 --timeout=10s

step "Why 1.1.0 failed: one condition per gate, with the measured numbers"
printf '$ kubectl get mv -n ml breast-cancer-1-1-0 -o jsonpath=...conditions...\n'
kubectl get mv -n ml breast-cancer-1-1-0 \
  -o jsonpath='{range .status.conditions[*]}{.type}{"\t"}{.status}{"\t"}{.reason}{"\t"}{.message}{"\n"}{end}' |
  column -t -s $'\t'
show kubectl get events -n ml --field-selector involvedObject.name=breast-cancer-1-1-0,type=Warning

step "Admission: a Deployment of the passed model is created"
show kubectl apply -n ml -f "$root/examples/deployment-classifier.yaml"
show kubectl rollout status -n ml deployment/breast-cancer --timeout=120s

step "Admission: a Deployment of the failed model is refused, with the reason"
show kubectl apply -n ml -f "$root/examples/deployment-classifier-canary.yaml" || true

cat <<EOT

Done in $((SECONDS - started))s. The control plane keeps running. To use it:
  . $state/env && kubectl get mv -A
  kubectl describe mv -n ml breast-cancer-1-1-0
To stop it:
  make down
EOT
