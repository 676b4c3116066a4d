#!/usr/bin/env bash
# Starts or stops the test bed for the end-to-end scenarios.
#   testbed.sh up BUILD_DIR     build the launcher, start the control plane and node agent
#   testbed.sh down BUILD_DIR   stop everything and check that nothing is left behind
# The state lives in BUILD_DIR/e2e-state; scenarios source its env file.
set -euo pipefail
action=$1
build=$(cd "$2" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
state="$build/e2e-state"
launcher="$build/bin/testbed"

leftovers() {
  local found=0
  if pgrep -f -- "--state $state" >/dev/null 2>&1; then
    echo "left behind: processes"; pgrep -af -- "--state $state"; found=1
  fi
  if ip netns list 2>/dev/null | grep '^mg-' >/dev/null; then
    echo "left behind: network namespaces"; ip netns list | grep '^mg-'; found=1
  fi
  if grep -q -- "$state" /proc/mounts; then
    echo "left behind: mounts"; grep -- "$state" /proc/mounts; found=1
  fi
  if ip link show mgbr0 >/dev/null 2>&1; then
    echo "left behind: bridge mgbr0"; found=1
  fi
  return $found
}

case "$action" in
  up)
    bindir=$("$root/e2e/testbed/tools/build.sh")
    mkdir -p "$build/bin"
    (cd "$root/e2e/testbed" && CGO_ENABLED=0 GOTOOLCHAIN=local go build -o "$launcher" ./cmd/testbed)
    # A test bed left by an interrupted run is stopped first.
    if [ -d "$state" ]; then "$launcher" down --state "$state" >/dev/null 2>&1 || true; fi
    rm -rf "$state"
    mkdir -p "$state"
    "$root/e2e/harness/images.sh" "$build" > "$build/e2e-images.json"
    "$launcher" up --state "$state" --bin "$bindir" --images "$build/e2e-images.json"
    ;;
  down)
    status=0
    if [ -x "$launcher" ] && [ -d "$state" ]; then
      "$launcher" down --state "$state" || status=$?
    fi
    if ! leftovers; then
      echo "testbed down: the test bed left things behind" >&2
      exit 1
    fi
    exit $status
    ;;
  *)
    echo "usage: testbed.sh up|down BUILD_DIR" >&2
    exit 2
    ;;
esac
