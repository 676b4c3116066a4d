#!/usr/bin/env bash
# Runs every test: the unit tests and the end-to-end scenarios (which start and stop a
# local control plane through a CTest fixture), then the sanitizer stage (scripts/sanitize.sh:
# the unit tests under ASan+UBSan and a short run of every fuzz target). Exits non-zero if
# any test fails.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
status=0
ctest --test-dir "$build" --output-on-failure --timeout 900 || status=$?
# The unit tests again under ASan+UBSan, and a short run of every fuzz target.
"$root/scripts/sanitize.sh" || status=$?
echo "test: finished in $(( $(date +%s) - start ))s"
exit $status
