// What a fuzz target does when a parser breaks one of its promises without crashing: print
// what was expected, with the target's file and line, and abort, so libFuzzer keeps the input
// as a crash and scripts/fuzz.sh reports it.
#pragma once

#include <cstdio>
#include <cstdlib>

#define MODELGATE_FUZZ_EXPECT(condition, what)                                             \
  do {                                                                                     \
    if (!(condition)) {                                                                    \
      std::fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__, __LINE__, what, \
                   #condition);                                                            \
      std::abort();                                                                        \
    }                                                                                      \
  } while (false)
