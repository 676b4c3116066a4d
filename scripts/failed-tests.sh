#!/usr/bin/env bash
# failed-tests.sh STAGE LOG: from the console output of `ctest --output-on-failure`, prints
# each attempt of a test that did not pass (failed, timed out, crashed, not run) with the last
# lines of its output, then ctest's list of the tests that failed, so that the end of a long
# run's log says what went wrong. Prints nothing for a run where every attempt passed.
#
# Environment: FAILED_TEST_LINES (default 40) lines of output kept per test.
set -euo pipefail
stage=$1
log=$2
lines=${FAILED_TEST_LINES:-40}
[ -f "$log" ] || { echo "$stage: no test log at $log"; exit 0; }
awk -v stage="$stage" -v keep="$lines" '
  function flush(   i, first) {
    if (name == "") return
    while (n > 0 && out[n] == "") n--
    printf "---- %s: %s (%s), last %d lines of its output:\n", stage, name, how, n < keep ? n : keep
    first = n > keep ? n - keep + 1 : 1
    for (i = first; i <= n; i++) print "  " out[i]
    name = ""; n = 0
  }
  # A result line: "  12/345 Test  #12: Suite.Name ......***Failed    0.10 sec", without the
  # count on a second attempt (ctest --repeat).
  /^ *([0-9]+\/[0-9]+ )?Test +#[0-9]+: / {
    flush()
    if ($0 !~ /(Passed|Skipped) +[0-9.]+ sec$/) {
      name = $0; sub(/^ *([0-9]+\/[0-9]+ )?Test +#[0-9]+: /, "", name); sub(/ \.+.*$/, "", name)
      how = $0; sub(/ +[0-9.]+ sec$/, "", how); sub(/^.*[.*] */, "", how)
    }
    next
  }
  /^ +Start +[0-9]+: / || /^[0-9]+% tests passed/ { flush(); next }
  name != "" { out[++n] = $0 }
  END { flush() }
' "$log"
sed -n '/^The following tests FAILED:/,/^Errors while running CTest/p' "$log" |
  sed "s/^/$stage: /"
