// An AdmissionCatalog held in memory and safe to read and update from different threads:
// the webhook's informer handlers update it while requests read it, and `modelgate check`
// fills it from manifests.
#pragma once

#include <memory_resource>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "policy/admission_catalog.h"

namespace modelgate::policy {

// Memory straight from the kernel (mmap), a mapping per allocation: the upstream of the
// catalog's record pool, so that records never share heap pages with short-lived objects and
// the heap can give those pages back once they are free.
class MappedMemoryResource final : public std::pmr::memory_resource {
 private:
  void* do_allocate(size_t bytes, size_t alignment) override;
  void do_deallocate(void* p, size_t bytes, size_t alignment) override;
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }
};

class InMemoryCatalog : public AdmissionCatalog {
 public:
  InMemoryCatalog();

  // Adds or replaces the ModelVersion metadata.namespace_/metadata.name.
  void UpsertModelVersion(const ModelVersion& mv);
  // Adds or replaces the ModelVersion record.key(). A record made with record_resource() is
  // moved in; any other is copied into it.
  void UpsertModelRecord(ModelRecord record);
  // Where the catalog keeps its records. Thread-safe; lives as long as the catalog.
  std::pmr::memory_resource* record_resource() { return &records_pool_; }
  // Forgets the ModelVersion ns/name; no-op when unknown.
  void RemoveModelVersion(std::string_view ns, std::string_view name);

  // Adds or replaces the policy metadata.name.
  void UpsertPolicy(ModelGatePolicy policy);
  // Forgets the policy `name`; no-op when unknown.
  void RemovePolicy(std::string_view name);

  // Sets the labels of namespace `ns`.
  void UpsertNamespace(std::string ns, NamespaceLabels labels);
  // Forgets namespace `ns`; no-op when unknown.
  void RemoveNamespace(std::string_view ns);

  size_t model_version_count() const;

  // The namespace and name of every ModelVersion, of every policy ("" and name) and of every
  // namespace ("" and name): what a relist compares against to find objects deleted unseen.
  std::vector<std::pair<std::string, std::string>> ModelVersionKeys() const;
  std::vector<std::pair<std::string, std::string>> PolicyKeys() const;
  std::vector<std::pair<std::string, std::string>> NamespaceKeys() const;

  std::shared_ptr<const ModelRecord> FindModelVersion(std::string_view ns,
                                                      std::string_view name) const override;
  std::vector<std::shared_ptr<const ModelRecord>> FindModelVersionsByArtifactUri(
      std::string_view uri) const override;
  std::shared_ptr<const PolicySet> Policies() const override;
  std::shared_ptr<const NamespaceLabels> FindNamespaceLabels(std::string_view ns) const override;

 private:
  void RemoveModelVersionLocked(std::string_view key);

  mutable std::shared_mutex mu_;
  // The records, their index entries and nothing else: see ModelRecord. Declared before the
  // containers that use it, so it is destroyed after them.
  // REQUIRES (of users): no record handed out outlives the catalog.
  MappedMemoryResource records_memory_;
  std::pmr::synchronized_pool_resource records_pool_;
  // Keyed by views of each record's own key and normalized artifact URI, so neither is
  // stored twice; a record outlives its entries because they are erased before it is
  // released. Guarded by mu_.
  std::pmr::unordered_map<std::string_view, std::shared_ptr<const ModelRecord>> model_versions_{
      &records_pool_};
  std::pmr::unordered_multimap<std::string_view, const ModelRecord*> records_by_uri_{
      &records_pool_};
  // Rebuilt on every policy change (rare) so that readers share one immutable list.
  std::shared_ptr<const PolicySet> policies_;  // guarded by mu_
  std::unordered_map<std::string, std::shared_ptr<const NamespaceLabels>>
      namespaces_;  // guarded by mu_
};

}  // namespace modelgate::policy
