#!/usr/bin/env bash
# Runs the libFuzzer targets of fuzz/ for a while each, starting from their committed corpora
# (docs/fuzzing.md). Fails when any target finds a crash, a sanitizer report, a leak, a
# timeout or a broken invariant, and prints the input's path and the command that replays it.
#
# Usage: scripts/fuzz.sh BUILD [--seconds N] [--target NAME]... [--parallel N]
#   BUILD        a build directory configured with -DMODELGATE_FUZZ=ON (scripts/sanitize.sh
#                makes build-sanitize)
#   --seconds N  how long each target runs (default 30)
#   --target T   run only T (admission_review, api_objects, ...); repeatable
#   --parallel N run N targets at a time (default 1)
# New corpus entries go to BUILD/fuzz-corpus/<target>, findings to BUILD/fuzz-findings/<target>,
# logs to BUILD/fuzz-logs/<target>.log; nothing is written under fuzz/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { sed -n '6,12p' "$0" >&2; exit 2; }
build=$(cd "$1" && pwd)
shift
seconds=30
parallel=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --target) targets+=("$2"); shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    *) echo "fuzz: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$root"/fuzz/*_fuzzer.cc; do
    n=$(basename "$f" _fuzzer.cc)
    targets+=("$n")
  done
fi

# Reports are symbolized and every sanitizer finding stops the run; LeakSanitizer stays on.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && command -v llvm-symbolizer-19 >/dev/null; then
  export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer-19)
fi

# Runs one target; its summary goes to BUILD/fuzz-logs/<target>.summary.
run_target() {
  local t=$1
  local bin="$build/fuzz/fuzz_$t"
  local corpus="$build/fuzz-corpus/$t" findings="$build/fuzz-findings/$t"
  local log="$build/fuzz-logs/$t.log" summary="$build/fuzz-logs/$t.summary"
  mkdir -p "$corpus" "$findings" "$build/fuzz-logs"
  rm -f "$summary"
  if [ ! -x "$bin" ]; then
    echo "$t FAILED: $bin is not built (ninja -C $build modelgate_fuzzers)" >"$summary"
    return
  fi
  local dict=()
  [ -f "$root/fuzz/$t.dict" ] && dict=(-dict="$root/fuzz/$t.dict")
  local rc=0
  # -timeout: one input taking seconds is a finding; -rss_limit_mb: so is memory growth.
  nice "$bin" -max_total_time="$seconds" -print_final_stats=1 -timeout=20 -rss_limit_mb=2048 \
    -max_len=8192 -artifact_prefix="$findings/" "${dict[@]}" \
    "$corpus" "$root/fuzz/corpus/$t" </dev/null >"$log" 2>&1 || rc=$?
  local execs units
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  units=$(find "$corpus" "$root/fuzz/corpus/$t" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    echo "$t passed: ${execs:-?} executions in ${seconds}s, corpus of $units inputs" >"$summary"
    return
  fi
  {
    echo "$t FAILED (exit $rc), log: $log"
    grep -m1 -E 'invariant broken|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' \
      "$log" | sed 's/^/  /' || true
    local found=0
    for input in "$findings"/crash-* "$findings"/leak-* "$findings"/timeout-* \
      "$findings"/oom-* "$findings"/slow-unit-*; do
      [ -e "$input" ] || continue
      found=1
      echo "  input: $input"
      echo "  replay: $bin $input"
    done
    [ "$found" -eq 1 ] || echo "  no input was saved; see the log"
  } >"$summary"
}

start=$(date +%s)
running=0
for t in "${targets[@]}"; do
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

passed=0
failed=0
for t in "${targets[@]}"; do
  summary="$build/fuzz-logs/$t.summary"
  if [ -f "$summary" ] && grep -q "^$t passed" "$summary"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
  cat "$summary" 2>/dev/null || echo "$t FAILED: no summary"
done
echo "fuzz: finished in $(($(date +%s) - start))s"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
