#!/usr/bin/env bash
# Runs one end-to-end scenario against the running test bed.
#   run-scenario.sh BUILD_DIR SCENARIO.sh
set -euo pipefail
build=$(cd "$1" && pwd)
scenario=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
state="$build/e2e-state"
if [ ! -f "$state/env" ]; then
  echo "run-scenario: no running test bed in $state (the e2e.testbed.up test sets it up)" >&2
  exit 1
fi
# shellcheck disable=SC1091
. "$state/env"
export MODELGATE_ROOT="$root" MODELGATE_BUILD="$build" MODELGATE_BIN="$build/modelgate"
# shellcheck source=lib.sh
. "$root/e2e/harness/lib.sh"
# shellcheck disable=SC1090
. "$scenario"
echo "PASS $(basename "$scenario" .sh)"
