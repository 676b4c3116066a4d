#include "webhook/catalog_informers.h"

#include <spdlog/spdlog.h>

#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <memory_resource>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "api/model_gate_policy.h"
#include "api/model_version.h"
#include "kube/process_memory.h"
#include "policy/admission_fields.h"
#include "policy/in_memory_catalog.h"

namespace modelgate::webhook {

using kube::Json;

namespace {

std::string MetaString(const Json& object, const char* key) {
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return "";
  auto it = meta->find(key);
  return it != meta->end() && it->is_string() ? it->get<std::string>() : "";
}

using ObjectKey = std::pair<std::string, std::string>;  // namespace, name

// Decodes each ModelVersion as its list page or watch event arrives (the reflector's
// transform), sets aside only what admission reads, and leaves in the JSON nothing but the
// object's key: no page's JSON outlives its page, however many ModelVersions a list holds.
// The sink then takes the decoded model by key. Both run on the reflector's thread.
class StagedModelVersions {
 public:
  // `records` is where the catalog keeps its records: staged there, a record moves into the
  // catalog without a copy and leaves nothing behind in the heap the pages were decoded in.
  explicit StagedModelVersions(std::pmr::memory_resource* records) : records_(records) {}

  void Stage(Json& object) {
    if (!object.is_object()) return;
    ObjectKey key{MetaString(object, "namespace"), MetaString(object, "name")};
    std::string resource_version = MetaString(object, "resourceVersion");
    policy::DropUnreadModelVersionJson(object);
    auto mv = ModelVersionFromJson(object);
    if (mv.ok()) {
      staged_.insert_or_assign(key, policy::ModelRecord::From(*mv, records_));
    } else {
      staged_.insert_or_assign(key, mv.status());
    }
    object = Json{{"metadata",
                   {{"namespace", std::move(key.first)},
                    {"name", std::move(key.second)},
                    {"resourceVersion", std::move(resource_version)}}}};
  }

  // Moves the model staged for `key` into the catalog, or leaves it out when it could not be
  // decoded.
  void Put(policy::InMemoryCatalog& catalog, const ObjectKey& key) {
    auto it = staged_.find(key);
    if (it == staged_.end()) return;
    Result<policy::ModelRecord> mv = std::move(it->second);
    staged_.erase(it);
    if (!mv.ok()) {
      // Left out of the catalog, the model counts as unknown: workloads naming it are refused
      // under Enforce, which is the safe side.
      spdlog::warn(
          "msg=\"ModelVersion not understood; treating it as unknown\" namespace={} "
          "name={} error=\"{}\"",
          key.first, key.second, mv.status().message());
      catalog.RemoveModelVersion(key.first, key.second);
      return;
    }
    catalog.UpsertModelRecord(std::move(mv).value());
  }

  void Forget(const ObjectKey& key) { staged_.erase(key); }

 private:
  std::pmr::memory_resource* const records_;
  std::map<ObjectKey, Result<policy::ModelRecord>> staged_;
};

void PutPolicy(policy::InMemoryCatalog& catalog, const Json& object) {
  auto p = ModelGatePolicyFromJson(object);
  if (!p.ok()) {
    spdlog::warn("msg=\"ModelGatePolicy not understood; ignoring it\" name={} error=\"{}\"",
                 MetaString(object, "name"), p.status().message());
    catalog.RemovePolicy(MetaString(object, "name"));
    return;
  }
  catalog.UpsertPolicy(std::move(p).value());
}

void PutNamespace(policy::InMemoryCatalog& catalog, const Json& object) {
  policy::NamespaceLabels labels;
  if (auto meta = object.find("metadata"); meta != object.end() && meta->is_object()) {
    if (auto l = meta->find("labels"); l != meta->end() && l->is_object()) {
      for (const auto& [k, v] : l->items()) {
        if (v.is_string()) labels.emplace(k, v.get<std::string>());
      }
    }
  }
  catalog.UpsertNamespace(MetaString(object, "name"), std::move(labels));
}

}  // namespace

// Feeds one collection into the catalog: put for added and modified objects, remove for
// deleted ones and for those a relist no longer returns.
class CatalogInformers::CatalogSink final : public kube::ReflectorSink {
 public:
  using Put = std::function<void(const Json&)>;
  using Remove = std::function<void(const ObjectKey&)>;
  // The keys of the objects of this collection that the catalog holds.
  using Keys = std::function<std::vector<ObjectKey>()>;

  CatalogSink(Put put, Remove remove, Keys keys, std::function<void()> listed)
      : put_(std::move(put)),
        remove_(std::move(remove)),
        keys_(std::move(keys)),
        listed_(std::move(listed)) {}

  // Each page goes into the catalog as it arrives: its objects are states at least as new as
  // the catalog's, so a reader may see them before the list is complete.
  void ListedPage(std::vector<Json> objects) override {
    if (!listing_) listing_.emplace();
    for (const Json& object : objects) {
      put_(object);
      listing_->Add(KeyOf(object));
    }
  }

  void ListCompleted(const std::string&) override {
    if (!listing_) listing_.emplace();  // an empty list delivers no page
    // The catalog is the record of what is known: no second copy of every key is kept here.
    for (const ObjectKey& key : keys_()) {
      if (!listing_->Contains(key)) remove_(key);
    }
    listing_.reset();
    // The pages' JSON is gone once the catalog holds the objects.
    kube::ReturnFreedMemory();
    listed_();
  }

  void ListAbandoned() override { listing_.reset(); }

  void Added(Json object) override { Modified(std::move(object)); }

  void Modified(Json object) override { put_(object); }

  void Deleted(Json object) override { remove_(KeyOf(object)); }

 private:
  static ObjectKey KeyOf(const Json& object) {
    return {MetaString(object, "namespace"), MetaString(object, "name")};
  }

  // The keys a list named, kept in memory mapped for the list alone and unmapped at its end,
  // so that they never sit among the heap pages the list's JSON is decoded in.
  class ListedKeys {
   public:
    // Members initialized here, not at their declarations: clang cannot use default member
    // initializers of a nested class before the enclosing class is complete (listing_.emplace).
    ListedKeys() : arena_(64 * 1024, &mapped_), keys_(&arena_) {}

    void Add(const ObjectKey& key) {
      const size_t size = key.first.size() + 1 + key.second.size();
      char* text = static_cast<char*>(arena_.allocate(size, 1));
      std::memcpy(text, key.first.data(), key.first.size());
      text[key.first.size()] = '/';
      std::memcpy(text + key.first.size() + 1, key.second.data(), key.second.size());
      keys_.emplace(text, size);
    }
    bool Contains(const ObjectKey& key) const {
      return keys_.count(key.first + "/" + key.second) > 0;
    }

   private:
    policy::MappedMemoryResource mapped_;
    std::pmr::monotonic_buffer_resource arena_;
    std::pmr::unordered_set<std::string_view> keys_;
  };

  const Put put_;
  const Remove remove_;
  const Keys keys_;
  const std::function<void()> listed_;
  std::optional<ListedKeys> listing_;  // during a list; used on the reflector's thread only
};

CatalogInformers::CatalogInformers(kube::Client& client, const kube::Clock& clock,
                                   policy::InMemoryCatalog& catalog, int64_t list_page_size)
    : clock_(clock) {
  policy::InMemoryCatalog* c = &catalog;
  auto listed = [this](size_t collection) {
    return [this, collection] { MarkSynced(collection); };
  };
  auto staged = std::make_shared<StagedModelVersions>(catalog.record_resource());
  sinks_.push_back(std::make_unique<CatalogSink>(
      [c, staged](const Json& o) {
        staged->Put(*c, {MetaString(o, "namespace"), MetaString(o, "name")});
      },
      [c, staged](const ObjectKey& k) {
        staged->Forget(k);
        c->RemoveModelVersion(k.first, k.second);
      },
      [c] { return c->ModelVersionKeys(); }, listed(0)));
  sinks_.push_back(
      std::make_unique<CatalogSink>([c](const Json& o) { PutPolicy(*c, o); },
                                    [c](const ObjectKey& k) { c->RemovePolicy(k.second); },
                                    [c] { return c->PolicyKeys(); }, listed(1)));
  sinks_.push_back(
      std::make_unique<CatalogSink>([c](const Json& o) { PutNamespace(*c, o); },
                                    [c](const ObjectKey& k) { c->RemoveNamespace(k.second); },
                                    [c] { return c->NamespaceKeys(); }, listed(2)));

  kube::ReflectorOptions model_versions;
  // Pages bound the JSON held at once while a large collection is listed.
  model_versions.page_size = list_page_size;
  model_versions.paged_lists = true;
  model_versions.keep_item_field = policy::ModelVersionFieldRead;
  model_versions.transform = [staged](Json& object) { staged->Stage(object); };
  reflectors_.push_back(std::make_unique<kube::Reflector>(client, kube::ModelVersionsResource(), "",
                                                          *sinks_[0], clock, model_versions));
  reflectors_.push_back(std::make_unique<kube::Reflector>(client, kube::ModelGatePoliciesResource(),
                                                          "", *sinks_[1], clock));
  kube::ReflectorOptions namespaces;
  namespaces.transform = [](Json& o) {
    if (!o.is_object()) return;
    if (auto meta = o.find("metadata"); meta != o.end() && meta->is_object()) {
      meta->erase("managedFields");
      meta->erase("annotations");
    }
    o.erase("spec");
    o.erase("status");
  };
  namespaces.keep_item_field = [](std::span<const std::string> path) {
    if (path[0] == "spec" || path[0] == "status") return false;
    return !(path[0] == "metadata" && path.size() >= 2 &&
             (path[1] == "managedFields" || path[1] == "annotations"));
  };
  reflectors_.push_back(std::make_unique<kube::Reflector>(client, kube::NamespacesResource(), "",
                                                          *sinks_[2], clock, namespaces));
}

CatalogInformers::~CatalogInformers() { Stop(); }

void CatalogInformers::Start() {
  for (auto& reflector : reflectors_) {
    threads_.emplace_back([this, r = reflector.get()] {
      try {
        r->Run(stop_);
      } catch (const std::exception& e) {
        spdlog::critical("msg=\"list/watch thread ended by an exception\" error=\"{}\"", e.what());
      }
    });
  }
}

void CatalogInformers::Stop() {
  stop_.Stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  std::lock_guard<std::mutex> lock(mu_);
  synced_cv_.notify_all();
}

void CatalogInformers::MarkSynced(size_t collection) {
  std::lock_guard<std::mutex> lock(mu_);
  listed_[collection] = true;
  synced_cv_.notify_all();
}

bool CatalogInformers::AllListed() const {
  for (bool listed : listed_) {
    if (!listed) return false;
  }
  return true;
}

bool CatalogInformers::HasSynced() const {
  std::lock_guard<std::mutex> lock(mu_);
  return AllListed();
}

bool CatalogInformers::WaitForSync(const kube::StopSignal& stop,
                                   kube::Clock::TimePoint deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  while (!AllListed() && !stop.stopped() && !stop_.stopped()) {
    // Bounded slices so a stop request is seen without the StopSignal knowing our cv.
    kube::Clock::TimePoint slice =
        std::min(deadline, clock_.Now() + std::chrono::milliseconds(100));
    if (clock_.WaitUntil(synced_cv_, lock, slice) && clock_.Now() >= deadline) break;
  }
  return AllListed();
}

}  // namespace modelgate::webhook
