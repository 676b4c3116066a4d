#!/usr/bin/env bash
# The sanitizer stage of the tests: builds everything with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer (-O1; every finding is fatal) together with the libFuzzer targets
# in one build directory, runs the unit tests there, then each fuzz target for a short while
# from its committed corpus (docs/fuzzing.md). Exits non-zero when a build, a test or a fuzz
# target fails.
#
# Environment: SANITIZE_BUILD (default <root>/build-sanitize), FUZZ_SECONDS (default 30 per
# target), SANITIZE_JOBS (ninja's and the fuzzers' parallelism, default the machine's cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SANITIZE_BUILD:-$root/build-sanitize}
seconds=${FUZZ_SECONDS:-30}
jobs=${SANITIZE_JOBS:-$(nproc)}
cd "$root"
start=$(date +%s)

# -O1 keeps the instrumented unit tests fast enough and the stacks readable; the warnings gate
# is the g++ build, so clang's own warnings do not fail this stage.
rm -f "$build/ctest.log"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-19 \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" \
  -DMODELGATE_SANITIZE=ON -DMODELGATE_FUZZ=ON -DMODELGATE_WERROR=OFF >/dev/null
nice ninja -C "$build" -j "$jobs"
echo "sanitize: built in $(($(date +%s) - start))s"

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# cpprestsdk's unjoined thread pool leaks at exit now and then (the file says why).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/fuzz/lsan-suppressions.txt}
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && command -v llvm-symbolizer-19 >/dev/null; then
  export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer-19)
fi
status=0
# RuntimeRootTest.BinaryRunsInsideTheRootAsTheImageUser runs the binary under `env -i` in a
# chroot without /proc, where LeakSanitizer cannot start; the main ctest runs it.
ctest --test-dir "$build" -L unit -E '^RuntimeRootTest\.BinaryRunsInsideTheRootAsTheImageUser$' \
  --output-on-failure --timeout 900 2>&1 | tee "$build/ctest.log" || status=$?
echo "sanitize: unit tests done at $(($(date +%s) - start))s"
"$root/scripts/fuzz.sh" "$build" --seconds "$seconds" --parallel "$jobs" || status=$?
echo "sanitize: finished in $(($(date +%s) - start))s"
exit $status
