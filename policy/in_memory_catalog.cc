#include "policy/in_memory_catalog.h"

#include <algorithm>
#include <mutex>

namespace modelgate::policy {
namespace {

std::string Key(std::string_view ns, std::string_view name) {
  std::string key;
  key.reserve(ns.size() + name.size() + 1);
  key.append(ns).append("/").append(name);
  return key;
}

}  // namespace

InMemoryCatalog::InMemoryCatalog()
    : policies_(std::make_shared<const std::vector<ModelGatePolicy>>()) {}

std::string_view InMemoryCatalog::NormalizeUri(std::string_view uri) {
  while (uri.size() > 1 && uri.back() == '/') uri.remove_suffix(1);
  return uri;
}

void InMemoryCatalog::UpsertModelVersion(const ModelVersion& mv) {
  UpsertModelRecord(ModelRecord::From(mv));
}

void InMemoryCatalog::UpsertModelRecord(ModelRecord record) {
  // Stored normalized, so the index can point into the record.
  record.artifact_uri.resize(NormalizeUri(record.artifact_uri).size());
  auto ptr = std::make_shared<const ModelRecord>(std::move(record));
  std::unique_lock lock(mu_);
  RemoveModelVersionLocked(ptr->key);
  if (!ptr->artifact_uri.empty()) records_by_uri_.emplace(ptr->artifact_uri, ptr.get());
  model_versions_.emplace(ptr->key, ptr);
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
  auto [begin, end] = records_by_uri_.equal_range(record->artifact_uri);
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
  auto next = std::make_shared<std::vector<ModelGatePolicy>>();
  next->reserve(policies_->size() + 1);
  for (const ModelGatePolicy& p : *policies_) {
    if (p.metadata.name != policy.metadata.name) next->push_back(p);
  }
  next->push_back(std::move(policy));
  std::sort(next->begin(), next->end(), [](const ModelGatePolicy& a, const ModelGatePolicy& b) {
    return a.metadata.name < b.metadata.name;
  });
  policies_ = std::move(next);
}

void InMemoryCatalog::RemovePolicy(std::string_view name) {
  std::unique_lock lock(mu_);
  auto next = std::make_shared<std::vector<ModelGatePolicy>>();
  for (const ModelGatePolicy& p : *policies_) {
    if (p.metadata.name != name) next->push_back(p);
  }
  policies_ = std::move(next);
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
  auto [begin, end] = records_by_uri_.equal_range(NormalizeUri(uri));
  for (auto it = begin; it != end; ++it) {
    if (auto mv = model_versions_.find(it->second->key); mv != model_versions_.end()) {
      out.push_back(mv->second);
    }
  }
  return out;
}

std::shared_ptr<const std::vector<ModelGatePolicy>> InMemoryCatalog::Policies() const {
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
