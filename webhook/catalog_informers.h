// Keeps a policy::InMemoryCatalog in step with the cluster through informers on
// ModelVersions (all namespaces), ModelGatePolicies and Namespaces, so that an admission
// decision reads memory and never calls the API server.
#pragma once

#include <memory>

#include "kube/client.h"
#include "kube/clock.h"
#include "kube/informer.h"
#include "kube/stop_signal.h"
#include "policy/in_memory_catalog.h"

namespace modelgate::webhook {

class CatalogInformers {
 public:
  // REQUIRES: client, clock and catalog outlive this object.
  CatalogInformers(kube::Client& client, const kube::Clock& clock,
                   policy::InMemoryCatalog& catalog);
  ~CatalogInformers();  // stops the informers

  CatalogInformers(const CatalogInformers&) = delete;
  CatalogInformers& operator=(const CatalogInformers&) = delete;

  // Starts the three list+watch threads. REQUIRES: called once.
  void Start();

  // Stops them and waits.
  void Stop();

  // True once all three caches hold their first list: the webhook's readiness.
  bool HasSynced() const;

  // Waits until HasSynced(), `stop`, or the deadline. Returns HasSynced().
  bool WaitForSync(const kube::StopSignal& stop, kube::Clock::TimePoint deadline) const;

 private:
  std::unique_ptr<kube::Informer> model_versions_;
  std::unique_ptr<kube::Informer> policies_;
  std::unique_ptr<kube::Informer> namespaces_;
};

}  // namespace modelgate::webhook
