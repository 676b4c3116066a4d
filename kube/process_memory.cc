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

// Under AddressSanitizer its own allocator serves malloc: glibc's heap is not in use, and
// malloc_trim walks arenas that were never set up.
#if defined(__SANITIZE_ADDRESS__)
#define MODELGATE_GLIBC_HEAP 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MODELGATE_GLIBC_HEAP 0
#endif
#endif
#if !defined(MODELGATE_GLIBC_HEAP)
#define MODELGATE_GLIBC_HEAP 1
#endif

void ReturnFreedMemory() {
#if defined(__GLIBC__) && MODELGATE_GLIBC_HEAP
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
