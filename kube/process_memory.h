// How a process that keeps Kubernetes caches holds its memory: what the operator and the
// webhook both do so that their resident size is their caches, not allocator slack.
#pragma once

#include <chrono>

#include "kube/stop_signal.h"

namespace modelgate::kube {

// At most two malloc arenas instead of glibc's one per thread (MALLOC_ARENA_MAX in the
// environment still wins), and `client_threads` threads in cpprestsdk's shared pool instead of
// its default forty: the API client's calls are asynchronous and watch bodies are read on
// threads of their own. REQUIRES: no cpprestsdk call yet; client_threads >= 1.
void SizeProcessForCaches(int client_threads = 4);

// Gives memory the allocator holds free back to the system now. glibc keeps freed pages (list
// bodies of a sync, the objects of a burst of reconciles) resident until asked; a call with
// nothing to return costs microseconds. A no-op where the allocator is not glibc's.
void ReturnFreedMemory();

// Calls ReturnFreedMemory `first` from now and then every `period`, until `stop`.
void ReturnFreedMemoryUntil(const StopSignal& stop, std::chrono::seconds first,
                            std::chrono::seconds period);

}  // namespace modelgate::kube
