#!/usr/bin/env bash
# Builds the pinned control-plane binaries (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl) into a cache outside the clone, keyed by version, and prints
# the cache's bin directory. A second run with the same versions builds nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"
cache=${MODELGATE_CACHE:-/var/cache/modelgate}
bin="$cache/controlplane/kubernetes-${KUBERNETES_VERSION}-etcd-${ETCD_VERSION}/bin"
stamp="$bin/.complete"
if [ -f "$stamp" ]; then echo "$bin"; exit 0; fi

export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="-mod=readonly -trimpath"
mkdir -p "$bin.tmp"
start=$(date +%s)
echo "building the control plane (kubernetes ${KUBERNETES_VERSION}, etcd ${ETCD_VERSION}); a cold build takes a while" >&2
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=${KUBERNETES_VERSION} \
-X k8s.io/component-base/version.gitMajor=1 \
-X k8s.io/component-base/version.gitMinor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2) \
-X k8s.io/client-go/pkg/version.gitVersion=${KUBERNETES_VERSION} \
-X k8s.io/component-base/version.gitTreeState=clean"
(cd "$here/kubernetes" && go build -p 2 -ldflags "$ldflags" -o "$bin.tmp/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler \
  k8s.io/kubernetes/cmd/kubectl)
(cd "$here/etcd" && go build -p 2 -ldflags "-s -w" -o "$bin.tmp/etcd" go.etcd.io/etcd/server/v3)
rm -rf "$bin" && mv "$bin.tmp" "$bin"
echo "built in $(( $(date +%s) - start ))s" > "$stamp"
echo "control plane built in $(( $(date +%s) - start ))s" >&2
echo "$bin"
