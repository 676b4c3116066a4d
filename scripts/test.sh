#!/usr/bin/env bash
# Runs every test: the unit tests and the end-to-end scenarios (which start and stop a
# local control plane through a CTest fixture). Exits non-zero if any test fails.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
status=0
ctest --test-dir "$build" --output-on-failure --timeout 900 || status=$?
echo "test: finished in $(( $(date +%s) - start ))s"
exit $status
