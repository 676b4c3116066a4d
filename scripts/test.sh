#!/usr/bin/env bash
# Runs every test: the unit tests, the end-to-end scenarios (which start and stop a local
# control plane through a CTest fixture), then the sanitizer stage (scripts/sanitize.sh: the
# unit tests under ASan+UBSan and a short run of every fuzz target). Exits non-zero if any
# test fails. Last, it names every test that failed, with the end of its output, where the
# tail of a CI log shows it.
#
# A scenario that fails is run a second time, on the same control plane, and counts as
# passed only if that attempt passes; its failed attempt is still named at the end. The
# scenarios share two cores with a real API server, etcd and the pods' processes, and wait on
# them with deadlines. Unit tests get one attempt: one that fails now and then has found a
# race, and the sanitizer stage runs them all again.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
status=0
ctest --test-dir "$build" -LE e2e --output-on-failure --timeout 900 2>&1 |
  tee "$build/ctest.log" || status=$?
ctest --test-dir "$build" -L e2e --output-on-failure --timeout 900 --repeat until-pass:2 2>&1 |
  tee -a "$build/ctest.log" || status=$?
# The unit tests again under ASan+UBSan, and a short run of every fuzz target.
"$root/scripts/sanitize.sh" || status=$?
"$root/scripts/failed-tests.sh" tests "$build/ctest.log"
"$root/scripts/failed-tests.sh" sanitize "${SANITIZE_BUILD:-$root/build-sanitize}/ctest.log"
echo "test: finished in $(( $(date +%s) - start ))s"
exit $status
