#!/usr/bin/env bash
# The main job: starts the local control plane, installs modelgate's CRDs, applies the
# examples and shows them with kubectl. The control plane keeps running afterwards so you
# can explore it; `make down` (this script with --down) stops it.
#   demo.sh BUILD_DIR [--down]
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$root" && mkdir -p "$build" && cd "$build" && pwd)
state="$build/demo-state"
launcher="$build/bin/testbed"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

if [ "${2:-}" == "--down" ]; then
  if [ -x "$launcher" ] && [ -d "$state" ]; then "$launcher" down --state "$state"; fi
  rm -rf "$state"
  echo "demo: control plane stopped"
  exit 0
fi

step "Starting the local control plane (etcd, kube-apiserver, controller-manager, scheduler, node agent)"
bindir=$("$root/e2e/testbed/tools/build.sh")
mkdir -p "$build/bin"
(cd "$root/e2e/testbed" && CGO_ENABLED=0 GOTOOLCHAIN=local go build -o "$launcher" ./cmd/testbed)
if [ -d "$state" ]; then "$launcher" down --state "$state" >/dev/null 2>&1 || true; rm -rf "$state"; fi
mkdir -p "$state"
"$root/e2e/harness/images.sh" "$build" > "$build/demo-images.json"
"$launcher" up --state "$state" --bin "$bindir" --images "$build/demo-images.json"
# shellcheck disable=SC1091
. "$state/env"
show kubectl get nodes

step "Installing modelgate's CRDs"
show kubectl apply --server-side -f "$root/crds/"
kubectl wait --for=condition=Established --timeout=60s \
  crd/modelversions.modelgate.io crd/modelgatepolicies.modelgate.io >/dev/null
# Established comes a moment before discovery and the published OpenAPI catch up.
for _ in $(seq 1 100); do
  kubectl explain modelversion.spec.gates.quality >/dev/null 2>&1 && break
  sleep 0.3
done
show kubectl api-resources --categories=ml

step "Applying the examples"
kubectl create namespace ml --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl label namespace ml modelgate.io/enforce=true --overwrite >/dev/null
show kubectl apply --server-side -n ml -f "$root/examples/"
show kubectl get mv -n ml
show kubectl get mgp

step "The API explains itself"
show kubectl explain modelversion.spec.gates.quality

step "The API server refuses what modelgate's CRDs forbid"
printf '$ kubectl patch mv -n ml <first ModelVersion> --type=merge -p {"spec":{"artifact":{"uri":"s3://elsewhere/model"}}}\n'
first=$(kubectl get mv -n ml -o jsonpath='{.items[0].metadata.name}')
kubectl patch mv -n ml "$first" --type=merge -p '{"spec":{"artifact":{"uri":"s3://elsewhere/model"}}}' 2>&1 || true

cat <<EOT

The control plane keeps running. To use it:
  . $state/env && kubectl get mv -A
To stop it:
  make down
EOT
