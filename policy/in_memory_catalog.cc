#include "policy/in_memory_catalog.h"

#include <algorithm>
#include <mutex>
#include <new>

#include <sys/mman.h>

namespace modelgate::policy {
namespace {

constexpr size_t kPageSize = 4096;

size_t RoundToPages(size_t bytes) { return (bytes + kPageSize - 1) / kPageSize * kPageSize; }

std::string Key(std::string_view ns, std::string_view name) {
  std::string key;
  key.reserve(ns.size() + name.size() + 1);
  key.append(ns).append("/").append(name);
  return key;
}

}  // namespace

void* MappedMemoryResource::do_allocate(size_t bytes, size_t alignment) {
  if (alignment > kPageSize) throw std::bad_alloc();
  void* p = mmap(nullptr, RoundToPages(bytes), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                 -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return p;
}

void MappedMemoryResource::do_deallocate(void* p, size_t bytes, size_t /*alignment*/) {
  munmap(p, RoundToPages(bytes));
}

InMemoryCatalog::InMemoryCatalog()
    : records_pool_(
          // Chunks of at most 256 blocks: a pool's last chunk is partly empty, so bounded
          // chunks bound the waste.
          std::pmr::pool_options{.max_blocks_per_chunk = 256, .largest_required_pool_block = 4096},
          &records_memory_),
      policies_(std::make_shared<const PolicySet>()) {}

void InMemoryCatalog::UpsertModelVersion(const ModelVersion& mv) {
  UpsertModelRecord(ModelRecord::From(mv));
}

void InMemoryCatalog::UpsertModelRecord(ModelRecord record) {
  const std::pmr::polymorphic_allocator<ModelRecord> allocator(&records_pool_);
  std::shared_ptr<const ModelRecord> ptr =
      record.resource() == &records_pool_
          ? std::allocate_shared<ModelRecord>(allocator, std::move(record))
          : std::allocate_shared<ModelRecord>(allocator, record, &records_pool_);
  std::unique_lock lock(mu_);
  RemoveModelVersionLocked(ptr->key());
  if (!ptr->artifact_uri().empty()) records_by_uri_.emplace(ptr->artifact_uri(), ptr.get());
  model_versions_.emplace(ptr->key(), ptr);
}

void InMemoryCatalog::RemoveModelVersion(std::string_view ns, std::string_view name) {
  const std::string key = Key(ns, name);
  std::unique_lock lock(mu_);
  RemoveModelVersionLocked(key);
}

void InMemoryCatalog::RemoveModelVersionLocked(std::string_view key) {
  auto it = model_versions_.find(key);
  if (it == model_versions_.end()) return;
  const ModelRecord* record = it->second.get();
  auto [begin, end] = records_by_uri_.equal_range(record->artifact_uri());
  for (auto u = begin; u != end; ++u) {
    if (u->second == record) {
      records_by_uri_.erase(u);
      break;
    }
  }
  model_versions_.erase(it);
}

void InMemoryCatalog::UpsertPolicy(ModelGatePolicy policy) {
  std::unique_lock lock(mu_);
  std::vector<ModelGatePolicy> next;
  next.reserve(policies_->size() + 1);
  for (const ModelGatePolicy& p : *policies_) {
    if (p.metadata.name != policy.metadata.name) next.push_back(p);
  }
  next.push_back(std::move(policy));
  policies_ = std::make_shared<const PolicySet>(std::move(next));
}

void InMemoryCatalog::RemovePolicy(std::string_view name) {
  std::unique_lock lock(mu_);
  std::vector<ModelGatePolicy> next;
  for (const ModelGatePolicy& p : *policies_) {
    if (p.metadata.name != name) next.push_back(p);
  }
  policies_ = std::make_shared<const PolicySet>(std::move(next));
}

void InMemoryCatalog::UpsertNamespace(std::string ns, NamespaceLabels labels) {
  auto ptr = std::make_shared<const NamespaceLabels>(std::move(labels));
  std::unique_lock lock(mu_);
  namespaces_[std::move(ns)] = std::move(ptr);
}

void InMemoryCatalog::RemoveNamespace(std::string_view ns) {
  std::unique_lock lock(mu_);
  namespaces_.erase(std::string(ns));
}

size_t InMemoryCatalog::model_version_count() const {
  std::shared_lock lock(mu_);
  return model_versions_.size();
}

std::vector<std::pair<std::string, std::string>> InMemoryCatalog::ModelVersionKeys() const {
  std::shared_lock lock(mu_);
  std::vector<std::pair<std::string, std::string>> keys;
  keys.reserve(model_versions_.size());
  for (const auto& [key, record] : model_versions_) {
    keys.emplace_back(record->ns(), record->name());
  }
  return keys;
}

std::vector<std::pair<std::string, std::string>> InMemoryCatalog::PolicyKeys() const {
  std::shared_lock lock(mu_);
  std::vector<std::pair<std::string, std::string>> keys;
  for (const ModelGatePolicy& p : *policies_) keys.emplace_back("", p.metadata.name);
  return keys;
}

std::vector<std::pair<std::string, std::string>> InMemoryCatalog::NamespaceKeys() const {
  std::shared_lock lock(mu_);
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto& [name, labels] : namespaces_) keys.emplace_back("", name);
  return keys;
}

std::shared_ptr<const ModelRecord> InMemoryCatalog::FindModelVersion(std::string_view ns,
                                                                     std::string_view name) const {
  const std::string key = Key(ns, name);
  std::shared_lock lock(mu_);
  auto it = model_versions_.find(key);
  return it == model_versions_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const ModelRecord>> InMemoryCatalog::FindModelVersionsByArtifactUri(
    std::string_view uri) const {
  std::vector<std::shared_ptr<const ModelRecord>> out;
  std::shared_lock lock(mu_);
  auto [begin, end] = records_by_uri_.equal_range(NormalizeArtifactUri(uri));
  for (auto it = begin; it != end; ++it) {
    if (auto mv = model_versions_.find(it->second->key()); mv != model_versions_.end()) {
      out.push_back(mv->second);
    }
  }
  return out;
}

std::shared_ptr<const PolicySet> InMemoryCatalog::Policies() const {
  std::shared_lock lock(mu_);
  return policies_;
}

std::shared_ptr<const NamespaceLabels> InMemoryCatalog::FindNamespaceLabels(
    std::string_view ns) const {
  std::shared_lock lock(mu_);
  auto it = namespaces_.find(std::string(ns));
  return it == namespaces_.end() ? nullptr : it->second;
}

}  // namespace modelgate::policy
