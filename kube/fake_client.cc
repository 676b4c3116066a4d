#include "kube/fake_client.h"

#include <algorithm>

#include "kube/api_error.h"
#include "kube/time_format.h"

namespace modelgate::kube {
namespace {

constexpr size_t kMaxHistory = 10000;

Json& Metadata(Json& object) {
  if (!object.is_object()) object = Json::object();
  if (!object.contains("metadata") || !object["metadata"].is_object()) {
    object["metadata"] = Json::object();
  }
  return object["metadata"];
}

// The part of an object whose change bumps metadata.generation.
Json SpecPart(const Json& object) {
  Json copy = object;
  if (copy.is_object()) {
    copy.erase("metadata");
    copy.erase("status");
  }
  return copy;
}

bool HasFinalizers(const Json& object) {
  auto meta = object.find("metadata");
  if (meta == object.end()) return false;
  auto finalizers = meta->find("finalizers");
  return finalizers != meta->end() && finalizers->is_array() && !finalizers->empty();
}

Json GoneStatus(const std::string& message) {
  return {{"kind", "Status"},   {"apiVersion", "v1"},  {"status", "Failure"},
          {"message", message}, {"reason", "Expired"}, {"code", 410}};
}

}  // namespace

// An open watch as the fake server sees it; it is also the stream the caller reads.
class FakeClient::Watcher final : public WatchStream {
 public:
  Watcher(std::string resource, std::string ns, WatchOptions options)
      : resource_(std::move(resource)), ns_(std::move(ns)), options_(std::move(options)) {}

  bool Matches(const std::string& resource, const Json& object) const {
    if (resource != resource_) return false;
    if (!ns_.empty() && NamespaceOf(object) != ns_) return false;
    Json labels;
    if (object.contains("metadata") && object["metadata"].contains("labels")) {
      labels = object["metadata"]["labels"];
    }
    Result<bool> l = MatchesLabelSelector(options_.label_selector, labels);
    Result<bool> f = MatchesFieldSelector(options_.field_selector, object);
    return l.ok() && *l && f.ok() && *f;
  }

  void Push(WatchEvent event) {
    std::lock_guard<std::mutex> guard(mu_);
    if (closed_) return;
    events_.push_back(std::move(event));
    cv_.notify_all();
  }

  // Ends the stream after the events already queued.
  void Close() {
    std::lock_guard<std::mutex> guard(mu_);
    closed_ = true;
    cv_.notify_all();
  }

  bool closed() const {
    std::lock_guard<std::mutex> guard(mu_);
    return closed_;
  }

  Result<std::optional<WatchEvent>> Next(std::chrono::steady_clock::time_point deadline) override {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_until(lock, deadline, [this] { return !events_.empty() || closed_; });
    if (!events_.empty()) {
      WatchEvent event = std::move(events_.front());
      events_.pop_front();
      return std::optional<WatchEvent>(std::move(event));
    }
    if (closed_) return WatchEndedStatus();
    return std::optional<WatchEvent>();
  }

  void Cancel() override {
    std::lock_guard<std::mutex> guard(mu_);
    closed_ = true;
    events_.clear();
    cv_.notify_all();
  }

  const WatchOptions& options() const { return options_; }
  const std::string& resource() const { return resource_; }

 private:
  const std::string resource_;
  const std::string ns_;
  const WatchOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WatchEvent> events_;  // guarded by mu_
  bool closed_ = false;            // guarded by mu_
};

namespace {

// What the caller owns: cancelling on destruction, sharing the watcher with the server.
class FakeWatchStream final : public WatchStream {
 public:
  explicit FakeWatchStream(std::shared_ptr<WatchStream> watcher) : watcher_(std::move(watcher)) {}
  ~FakeWatchStream() override { watcher_->Cancel(); }
  Result<std::optional<WatchEvent>> Next(std::chrono::steady_clock::time_point deadline) override {
    return watcher_->Next(deadline);
  }
  void Cancel() override { watcher_->Cancel(); }

 private:
  std::shared_ptr<WatchStream> watcher_;
};

}  // namespace

FakeClient::FakeClient(const Clock& clock) : clock_(clock) {}

FakeClient::~FakeClient() {
  std::lock_guard<std::mutex> guard(mu_);
  for (auto& watcher : watchers_) watcher->Cancel();
}

Status FakeClient::Record(const std::string& verb, const GroupVersionResource& gvr,
                          const std::string& ns, const std::string& name, const Json& body) {
  actions_.push_back({verb, gvr.ToString(), ns, name, body});
  for (const std::string& key : {verb, std::string("*")}) {
    auto it = injected_.find(key);
    if (it == injected_.end()) continue;
    Status status = it->second.first;
    if (--it->second.second <= 0) injected_.erase(it);
    return status;
  }
  return Status::Ok();
}

void FakeClient::EmitLocked(const GroupVersionResource& gvr, WatchEventType type,
                            const Json& object) {
  std::string resource = gvr.ToString();
  history_.emplace_back(resource, WatchEvent{type, object});
  while (history_.size() > kMaxHistory) {
    compacted_ = std::stoll(ResourceVersionOf(history_.front().second.object));
    history_.pop_front();
  }
  watchers_.erase(
      std::remove_if(watchers_.begin(), watchers_.end(), [](const auto& w) { return w->closed(); }),
      watchers_.end());
  for (auto& watcher : watchers_) {
    if (watcher->Matches(resource, object)) watcher->Push(WatchEvent{type, object});
  }
}

Result<Json> FakeClient::Get(const ResourceRef& ref) {
  std::lock_guard<std::mutex> guard(mu_);
  MODELGATE_RETURN_IF_ERROR(Record("get", ref.gvr, ref.ns, ref.name, nullptr));
  auto& objects = objects_[ref.gvr.ToString()];
  auto it = objects.find(ObjectKey(ref.gvr.namespaced ? ref.ns : "", ref.name));
  if (it == objects.end()) return Status::NotFound(ref.ToString() + " not found (404 NotFound)");
  return it->second;
}

Result<Json> FakeClient::List(const GroupVersionResource& gvr, const std::string& ns,
                              const ListOptions& options) {
  std::lock_guard<std::mutex> guard(mu_);
  MODELGATE_RETURN_IF_ERROR(Record("list", gvr, ns, "", nullptr));
  Json items = Json::array();
  const auto& objects = objects_[gvr.ToString()];
  auto it = objects.begin();
  if (!options.continue_token.empty()) {
    it = objects.upper_bound(options.continue_token);
  }
  std::string next;
  for (; it != objects.end(); ++it) {
    const Json& object = it->second;
    if (gvr.namespaced && !ns.empty() && NamespaceOf(object) != ns) continue;
    Json labels;
    if (object["metadata"].contains("labels")) labels = object["metadata"]["labels"];
    Result<bool> l = MatchesLabelSelector(options.label_selector, labels);
    if (!l.ok()) return l.status();
    Result<bool> f = MatchesFieldSelector(options.field_selector, object);
    if (!f.ok()) return f.status();
    if (!*l || !*f) continue;
    if (options.limit > 0 && static_cast<int64_t>(items.size()) == options.limit) {
      next = std::prev(it)->first;
      break;
    }
    items.push_back(object);
  }
  Json list = {{"apiVersion", gvr.ApiVersion()},
               {"kind", "List"},
               {"metadata", {{"resourceVersion", std::to_string(resource_version_)}}},
               {"items", std::move(items)}};
  if (!next.empty()) list["metadata"]["continue"] = next;
  // As the REST client does: the filter applies while the response is parsed.
  if (options.keep_item_field) return ParseListJson(list.dump(), options.keep_item_field);
  return list;
}

Result<Json> FakeClient::Create(const GroupVersionResource& gvr, const std::string& ns,
                                const Json& object, const WriteOptions& options) {
  std::lock_guard<std::mutex> guard(mu_);
  Json stored = object;
  Json& meta = Metadata(stored);
  std::string name = NameOf(stored);
  MODELGATE_RETURN_IF_ERROR(Record("create", gvr, ns, name, object));
  std::string object_ns = NamespaceOf(stored);
  std::string effective_ns = gvr.namespaced ? (ns.empty() ? object_ns : ns) : "";
  if (gvr.namespaced && effective_ns.empty()) {
    return Status::InvalidArgument("metadata.namespace: Required value (422 Invalid)");
  }
  if (gvr.namespaced && !object_ns.empty() && object_ns != effective_ns) {
    return Status::InvalidArgument(
        "metadata.namespace: the namespace of the object does not match the request (400 "
        "BadRequest)");
  }
  if (name.empty() && meta.contains("generateName") && meta["generateName"].is_string()) {
    name = meta["generateName"].get<std::string>() + std::to_string(10000 + uid_counter_);
  }
  if (name.empty()) return Status::InvalidArgument("metadata.name: Required value (422 Invalid)");
  auto& objects = objects_[gvr.ToString()];
  std::string key = ObjectKey(effective_ns, name);
  if (objects.count(key)) {
    return Status::AlreadyExists(gvr.ToString() + " \"" + name +
                                 "\" already exists (409 AlreadyExists)");
  }
  if (options.dry_run) return stored;
  meta["name"] = name;
  if (gvr.namespaced) meta["namespace"] = effective_ns;
  meta["uid"] = "00000000-0000-4000-8000-" + std::to_string(100000000000 + ++uid_counter_);
  meta["resourceVersion"] = std::to_string(++resource_version_);
  meta["generation"] = 1;
  meta["creationTimestamp"] = FormatTime(clock_.WallNow());
  meta.erase("deletionTimestamp");
  if (!stored.contains("apiVersion")) stored["apiVersion"] = gvr.ApiVersion();
  objects[key] = stored;
  EmitLocked(gvr, WatchEventType::kAdded, stored);
  return stored;
}

// Stores `next` as the new state of `ref` after a write, keeping what the server owns.
Result<Json> FakeClient::WriteLocked(const ResourceRef& ref, Json next, const std::string& mode) {
  auto& objects = objects_[ref.gvr.ToString()];
  std::string key = ObjectKey(ref.gvr.namespaced ? ref.ns : "", ref.name);
  auto it = objects.find(key);
  if (it == objects.end()) return Status::NotFound(ref.ToString() + " not found (404 NotFound)");
  const Json& current = it->second;
  std::string wanted_rv = ResourceVersionOf(next);
  if (!wanted_rv.empty() && wanted_rv != ResourceVersionOf(current)) {
    return Status::Conflict("Operation cannot be fulfilled on " + ref.ToString() +
                            ": the object has been modified; please apply your changes to the "
                            "latest version and try again (409 Conflict)");
  }
  Json stored;
  if (mode == "status") {
    stored = current;
    if (next.contains("status"))
      stored["status"] = next["status"];
    else
      stored.erase("status");
  } else {
    stored = std::move(next);
    if (current.contains("status"))
      stored["status"] = current["status"];
    else
      stored.erase("status");
    Json& meta = Metadata(stored);
    const Json& old_meta = current["metadata"];
    for (const char* field :
         {"name", "namespace", "uid", "creationTimestamp", "generation", "deletionTimestamp"}) {
      if (old_meta.contains(field))
        meta[field] = old_meta[field];
      else
        meta.erase(field);
    }
    if (SpecPart(stored) != SpecPart(current)) {
      meta["generation"] = old_meta.value("generation", 1) + 1;
    }
  }
  if (!stored.contains("apiVersion")) stored["apiVersion"] = ref.gvr.ApiVersion();
  Metadata(stored)["resourceVersion"] = std::to_string(++resource_version_);
  if (stored["metadata"].contains("deletionTimestamp") && !HasFinalizers(stored)) {
    objects.erase(it);
    EmitLocked(ref.gvr, WatchEventType::kDeleted, stored);
    return stored;
  }
  it->second = stored;
  EmitLocked(ref.gvr, WatchEventType::kModified, stored);
  return stored;
}

Result<Json> FakeClient::Update(const ResourceRef& ref, const Json& object,
                                const WriteOptions& options) {
  std::lock_guard<std::mutex> guard(mu_);
  MODELGATE_RETURN_IF_ERROR(Record("update", ref.gvr, ref.ns, ref.name, object));
  if (options.dry_run) return object;
  return WriteLocked(ref, object, "main");
}

Result<Json> FakeClient::UpdateStatus(const ResourceRef& ref, const Json& object,
                                      const WriteOptions& options) {
  std::lock_guard<std::mutex> guard(mu_);
  MODELGATE_RETURN_IF_ERROR(Record("update-status", ref.gvr, ref.ns, ref.name, object));
  if (options.dry_run) return object;
  return WriteLocked(ref, object, "status");
}

Result<Json> FakeClient::MergePatch(const ResourceRef& ref, const Json& patch,
                                    const WriteOptions& options) {
  std::lock_guard<std::mutex> guard(mu_);
  return PatchLocked("patch", ref, patch, options, "main");
}

Result<Json> FakeClient::PatchStatus(const ResourceRef& ref, const Json& patch,
                                     const WriteOptions& options) {
  std::lock_guard<std::mutex> guard(mu_);
  return PatchLocked("patch-status", ref, patch, options, "status");
}

Result<Json> FakeClient::PatchLocked(const char* verb, const ResourceRef& ref, const Json& patch,
                                     const WriteOptions& options, const std::string& mode) {
  MODELGATE_RETURN_IF_ERROR(Record(verb, ref.gvr, ref.ns, ref.name, patch));
  auto& objects = objects_[ref.gvr.ToString()];
  auto it = objects.find(ObjectKey(ref.gvr.namespaced ? ref.ns : "", ref.name));
  if (it == objects.end()) return Status::NotFound(ref.ToString() + " not found (404 NotFound)");
  Json next = it->second;
  Metadata(next).erase("resourceVersion");
  next.merge_patch(patch);
  if (options.dry_run) return next;
  return WriteLocked(ref, std::move(next), mode);
}

Result<Json> FakeClient::Apply(const ResourceRef& ref, const Json& object,
                               const ApplyOptions& options) {
  if (options.field_manager.empty()) {
    return Status::InvalidArgument("fieldManager: Required value: is required for apply patch");
  }
  {
    std::lock_guard<std::mutex> guard(mu_);
    MODELGATE_RETURN_IF_ERROR(Record("apply", ref.gvr, ref.ns, ref.name, object));
    auto& objects = objects_[ref.gvr.ToString()];
    if (objects.count(ObjectKey(ref.gvr.namespaced ? ref.ns : "", ref.name))) {
      Json next = objects[ObjectKey(ref.gvr.namespaced ? ref.ns : "", ref.name)];
      Json patch = object;
      Metadata(patch).erase("resourceVersion");
      next.merge_patch(patch);
      if (options.dry_run) return next;
      return WriteLocked(ref, std::move(next), "main");
    }
  }
  Json create = object;
  Metadata(create)["name"] = ref.name;
  Result<Json> created = Create(ref.gvr, ref.ns, create, {options.field_manager, options.dry_run});
  std::lock_guard<std::mutex> guard(mu_);
  if (!actions_.empty() && actions_.back().verb == "create") actions_.pop_back();
  return created;
}

Status FakeClient::Delete(const ResourceRef& ref, const DeleteOptions& options) {
  std::lock_guard<std::mutex> guard(mu_);
  MODELGATE_RETURN_IF_ERROR(Record("delete", ref.gvr, ref.ns, ref.name, nullptr));
  auto& objects = objects_[ref.gvr.ToString()];
  auto it = objects.find(ObjectKey(ref.gvr.namespaced ? ref.ns : "", ref.name));
  if (it == objects.end()) return Status::NotFound(ref.ToString() + " not found (404 NotFound)");
  if ((options.precondition_uid && *options.precondition_uid != UidOf(it->second)) ||
      (options.precondition_resource_version &&
       *options.precondition_resource_version != ResourceVersionOf(it->second))) {
    return Status::Conflict("Precondition failed for " + ref.ToString() + " (409 Conflict)");
  }
  if (options.dry_run) return Status::Ok();
  Json object = it->second;
  Json& meta = Metadata(object);
  meta["resourceVersion"] = std::to_string(++resource_version_);
  if (HasFinalizers(object)) {
    if (!meta.contains("deletionTimestamp")) {
      meta["deletionTimestamp"] = FormatTime(clock_.WallNow());
      it->second = object;
      EmitLocked(ref.gvr, WatchEventType::kModified, object);
    }
    return Status::Ok();
  }
  objects.erase(it);
  EmitLocked(ref.gvr, WatchEventType::kDeleted, object);
  return Status::Ok();
}

Result<std::unique_ptr<WatchStream>> FakeClient::Watch(const GroupVersionResource& gvr,
                                                       const std::string& ns,
                                                       const WatchOptions& options) {
  std::lock_guard<std::mutex> guard(mu_);
  MODELGATE_RETURN_IF_ERROR(Record("watch", gvr, ns, "", nullptr));
  auto watcher = std::make_shared<Watcher>(gvr.ToString(), gvr.namespaced ? ns : "", options);
  const std::string& rv = options.resource_version;
  if (rv.empty() || rv == "0") {
    for (const auto& [key, object] : objects_[gvr.ToString()]) {
      if (watcher->Matches(gvr.ToString(), object)) {
        watcher->Push({WatchEventType::kAdded, object});
      }
    }
  } else {
    int64_t from = 0;
    try {
      from = std::stoll(rv);
    } catch (const std::exception&) {
      return Status::InvalidArgument("resourceVersion \"" + rv + "\" is not a number");
    }
    if (from < compacted_) {
      watcher->Push({WatchEventType::kError, GoneStatus("too old resource version: " + rv + " (" +
                                                        std::to_string(compacted_) + ")")});
      watcher->Close();
      return std::unique_ptr<WatchStream>(std::make_unique<FakeWatchStream>(watcher));
    }
    for (const auto& [resource, event] : history_) {
      if (std::stoll(ResourceVersionOf(event.object)) <= from) continue;
      if (watcher->Matches(resource, event.object)) watcher->Push(event);
    }
  }
  watchers_.push_back(watcher);
  return std::unique_ptr<WatchStream>(std::make_unique<FakeWatchStream>(watcher));
}

void FakeClient::InjectError(const std::string& verb, Status status, int times) {
  std::lock_guard<std::mutex> guard(mu_);
  injected_[verb] = {std::move(status), times};
}

void FakeClient::CompactHistory() {
  std::lock_guard<std::mutex> guard(mu_);
  history_.clear();
  compacted_ = resource_version_;
  for (auto& watcher : watchers_) {
    watcher->Push({WatchEventType::kError, GoneStatus("too old resource version")});
    watcher->Close();
  }
  watchers_.clear();
}

void FakeClient::SendBookmark(const GroupVersionResource& gvr) {
  std::lock_guard<std::mutex> guard(mu_);
  Json bookmark = {{"kind", "Bookmark"},
                   {"apiVersion", gvr.ApiVersion()},
                   {"metadata", {{"resourceVersion", std::to_string(resource_version_)}}}};
  for (auto& watcher : watchers_) {
    if (watcher->resource() == gvr.ToString() && watcher->options().allow_bookmarks) {
      watcher->Push({WatchEventType::kBookmark, bookmark});
    }
  }
}

void FakeClient::CloseWatches() {
  std::lock_guard<std::mutex> guard(mu_);
  for (auto& watcher : watchers_) watcher->Close();
  watchers_.clear();
}

std::vector<FakeClient::Action> FakeClient::Actions() const {
  std::lock_guard<std::mutex> guard(mu_);
  return actions_;
}

void FakeClient::ClearActions() {
  std::lock_guard<std::mutex> guard(mu_);
  actions_.clear();
}

int FakeClient::OpenWatches() const {
  std::lock_guard<std::mutex> guard(mu_);
  return static_cast<int>(std::count_if(watchers_.begin(), watchers_.end(),
                                        [](const auto& w) { return !w->closed(); }));
}

int64_t FakeClient::resource_version() const {
  std::lock_guard<std::mutex> guard(mu_);
  return resource_version_;
}

}  // namespace modelgate::kube
