#!/usr/bin/env bash
# Builds the pinned Helm release (scripts/helm/go.mod) from the Go module proxy into a cache
# outside the clone, keyed by version, and prints the path of the helm binary. A second run
# with the same version builds nothing. Linking is done with the flags of Helm's own Makefile,
# so `helm version` and the default Kubernetes version of `helm template` are the release's.
#
#   scripts/helm.sh              build when needed, print the path
#   scripts/helm.sh --installed  print the path, or fail without building (for tests)
#
# Environment: MODELGATE_CACHE (default /var/cache/modelgate, as scripts/setup.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")/helm" && pwd)
HELM_VERSION=v3.22.0
cache=${MODELGATE_CACHE:-/var/cache/modelgate}
bin="$cache/helm/$HELM_VERSION"
if [ -x "$bin/helm" ] && [ -f "$bin/.complete" ]; then echo "$bin/helm"; exit 0; fi
if [ "${1:-}" = "--installed" ]; then
  echo "helm.sh: helm $HELM_VERSION is not built in $cache; run scripts/setup.sh" >&2
  exit 1
fi

export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="-mod=readonly -trimpath"
pinned=$(cd "$here" && go list -m -f '{{.Version}}' helm.sh/helm/v3)
if [ "$pinned" != "$HELM_VERSION" ]; then
  echo "helm.sh: scripts/helm/go.mod pins helm $pinned but HELM_VERSION is $HELM_VERSION" >&2
  exit 1
fi
# Helm reports the Kubernetes version of the client-go it was built with (major+1.minor).
client_go=$(cd "$here" && go list -m -f '{{.Version}}' k8s.io/client-go)
k8s_minor=$(echo "$client_go" | cut -d. -f2)
k8s_major=$(( $(echo "${client_go#v}" | cut -d. -f1) + 1 ))
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION} \
-X helm.sh/helm/v3/internal/version.gitTreeState=clean \
-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=${k8s_major} \
-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=${k8s_minor} \
-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=${k8s_major} \
-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=${k8s_minor}"

mkdir -p "$bin.tmp"
start=$(date +%s)
echo "building helm ${HELM_VERSION}" >&2
(cd "$here" && go build -p 1 -ldflags "$ldflags" -o "$bin.tmp/helm" helm.sh/helm/v3/cmd/helm)
rm -rf "$bin" && mv "$bin.tmp" "$bin"
echo "built in $(( $(date +%s) - start ))s" > "$bin/.complete"
echo "helm built in $(( $(date +%s) - start ))s" >&2
echo "$bin/helm"
