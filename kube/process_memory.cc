#include "kube/process_memory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstdlib>
#include <utility>

// After the standard headers: Boost.Asio's, which it includes, use std::exchange unincluded.
#include <pplx/threadpool.h>

#include "kube/clock.h"

namespace modelgate::kube {

void SizeProcessForCaches(int client_threads) {
#if defined(__GLIBC__)
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
#endif
  crossplat::threadpool::initialize_with_threads(client_threads);
}

void ReturnFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

void ReturnFreedMemoryUntil(const StopSignal& stop, std::chrono::seconds first,
                            std::chrono::seconds period) {
  for (auto wait = first; !stop.WaitUntil(SystemClock(), SystemClock().Now() + wait);
       wait = period) {
    ReturnFreedMemory();
  }
}

}  // namespace modelgate::kube
