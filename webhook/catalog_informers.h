// Keeps a policy::InMemoryCatalog in step with the cluster by list+watch of ModelVersions
// (all namespaces), ModelGatePolicies and Namespaces, so that an admission decision reads
// memory and never calls the API server.
//
// The catalog is the only cache: there is no store of JSON beside it. ModelVersions are
// decoded as each list page or watch event arrives and reduced to what admission reads
// (policy/admission_fields.h), so neither a whole list nor a full object is ever kept. A
// thousand ModelVersions, each with managedFields, a schema and conditions, held as JSON cost
// well over a hundred megabytes; reduced, a few.
#pragma once

#include <array>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "kube/client.h"
#include "kube/clock.h"
#include "kube/reflector.h"
#include "kube/stop_signal.h"
#include "policy/in_memory_catalog.h"

namespace modelgate::webhook {

class CatalogInformers {
 public:
  // ModelVersions are listed from etcd this many to a page (the list's `limit`): a page is
  // parsed whole, so its size bounds the memory a first list takes on top of the catalog.
  // Against pages of 100, 25 took the peak over 10,000 ModelVersions from 36.6 to 29.2 MiB
  // and the time to the first sync from 14.3 to 26.7 s (bench/webhook/README.md).
  static constexpr int64_t kDefaultListPageSize = 25;

  // REQUIRES: client, clock and catalog outlive this object; list_page_size >= 1.
  CatalogInformers(kube::Client& client, const kube::Clock& clock, policy::InMemoryCatalog& catalog,
                   int64_t list_page_size = kDefaultListPageSize);
  ~CatalogInformers();  // stops the list+watch threads

  CatalogInformers(const CatalogInformers&) = delete;
  CatalogInformers& operator=(const CatalogInformers&) = delete;

  // Starts the three list+watch threads. REQUIRES: called once.
  void Start();

  // Stops them and waits.
  void Stop();

  // True once all three collections have been listed into the catalog: the webhook's
  // readiness.
  bool HasSynced() const;

  // Waits until HasSynced(), `stop`, or the deadline. Returns HasSynced().
  bool WaitForSync(const kube::StopSignal& stop, kube::Clock::TimePoint deadline) const;

  class CatalogSink;  // one collection into the catalog; defined in catalog_informers.cc

 private:
  void MarkSynced(size_t collection);
  bool AllListed() const;  // REQUIRES: mu_ held

  const kube::Clock& clock_;
  std::vector<std::unique_ptr<CatalogSink>> sinks_;
  std::vector<std::unique_ptr<kube::Reflector>> reflectors_;
  std::vector<std::thread> threads_;
  kube::StopSignal stop_;
  mutable std::mutex mu_;
  mutable std::condition_variable synced_cv_;
  // Which of ModelVersions, policies and Namespaces have been listed; guarded by mu_.
  std::array<bool, 3> listed_{};
};

}  // namespace modelgate::webhook
