#!/usr/bin/env bash
# Runs the gate benchmarks (data.sh, then stress.sh) and prints a terse table; everything
# they measured stays in RESULT_DIR. Not part of the test suite. On a shared machine, read
# the ratios: every contender runs in the same run, one after the other.
#
#   bench/gates/run.sh BUILD_DIR [RESULT_DIR]
#
# BUILD_DIR is a CMake build of this repository, preferably Release or RelWithDebInfo; the
# two drivers are built in it first (ninja, -j1).
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=${2:-$(mktemp -d /tmp/modelgate-bench.XXXXXX)}
mkdir -p "$out"
nice ninja -C "$build" -j1 modelgate_data_gate_bench modelgate_load_bench >&2
"$here/data.sh" "$build" "$out/data" >&2
"$here/stress.sh" "$build" >"$out/stress.jsonl"
python3 "$here/table.py" "$out/data" "$out/stress.jsonl"
echo "results: $out"
