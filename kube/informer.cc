#include "kube/informer.h"

#include <spdlog/spdlog.h>

namespace modelgate::kube {

// Applies reflector updates to the store, then runs the handlers.
class Informer::Sink final : public ReflectorSink {
 public:
  explicit Sink(Informer& informer) : informer_(informer) {}

  // Pages are encoded into the store's staged content as they arrive, so a list is never
  // held whole as parsed JSON. Changes are found by resourceVersion, and only a changed
  // object's old state is kept for its handler.
  void ListedPage(std::vector<Json> objects) override {
    for (const Json& object : objects) {
      std::string key = KeyOf(object);
      ObjectPtr old = informer_.store_.Get(key);
      if (old != nullptr && ResourceVersionOf(*old) == ResourceVersionOf(object)) continue;
      changes_.push_back({std::move(key), std::move(old)});
    }
    informer_.store_.StagePage(std::move(objects));
  }

  void ListCompleted(const std::string&) override {
    std::vector<ObjectPtr> removed = informer_.store_.CommitStaged();
    std::vector<Change> changes = std::move(changes_);
    changes_.clear();
    for (Change& change : changes) {
      // Handlers see exactly what the cache holds.
      ObjectPtr current = informer_.store_.Get(change.key);
      if (current == nullptr) continue;
      Dispatch([&](const EventHandlers& h) {
        if (change.previous == nullptr) {
          if (h.on_add) h.on_add(*current);
        } else if (h.on_update) {
          h.on_update(*change.previous, *current);
        }
      });
      change.previous.reset();
    }
    for (const ObjectPtr& object : removed) {
      Dispatch([&](const EventHandlers& h) {
        if (h.on_delete) h.on_delete(*object);
      });
    }
    informer_.MarkSynced();
  }

  void ListAbandoned() override {
    informer_.store_.DropStaged();
    changes_.clear();
  }

  void Added(Json object) override { Upsert(std::move(object)); }
  void Modified(Json object) override { Upsert(std::move(object)); }

  void Deleted(Json object) override {
    informer_.store_.Remove(KeyOf(object));
    Dispatch([&](const EventHandlers& h) {
      if (h.on_delete) h.on_delete(object);
    });
  }

 private:
  struct Change {
    std::string key;
    ObjectPtr previous;  // null: added
  };

  void Upsert(Json object) {
    std::string key = KeyOf(object);
    ObjectPtr previous = informer_.store_.Upsert(std::move(object));
    ObjectPtr current = informer_.store_.Get(key);
    if (!current) return;
    Dispatch([&](const EventHandlers& h) {
      if (previous) {
        if (h.on_update) h.on_update(*previous, *current);
      } else if (h.on_add) {
        h.on_add(*current);
      }
    });
  }

  template <typename F>
  void Dispatch(F&& call) {
    for (const EventHandlers& handlers : informer_.handlers_) {
      try {
        call(handlers);
      } catch (const std::exception& e) {
        spdlog::error("msg=\"informer event handler threw\" error=\"{}\"", e.what());
      }
    }
  }

  Informer& informer_;
  std::vector<Change> changes_;  // of the list being delivered; on the reflector's thread
};

void DropApplyBookkeeping(Json& object) {
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return;
  meta->erase("managedFields");
  auto annotations = meta->find("annotations");
  if (annotations == meta->end() || !annotations->is_object()) return;
  annotations->erase("kubectl.kubernetes.io/last-applied-configuration");
  if (annotations->empty()) meta->erase(annotations);
}

Informer::Informer(Client& client, GroupVersionResource gvr, std::string ns, const Clock& clock,
                   ReflectorOptions options, StoreEncoding encoding)
    : client_(client), clock_(clock), store_(encoding), sink_(std::make_unique<Sink>(*this)) {
  reflector_ = std::make_unique<Reflector>(client_, std::move(gvr), std::move(ns), *sink_, clock_,
                                           std::move(options));
}

Informer::~Informer() { Stop(); }

Status Informer::AddIndex(const std::string& name, IndexFunc index) {
  return store_.AddIndex(name, std::move(index));
}

void Informer::AddEventHandlers(EventHandlers handlers) {
  handlers_.push_back(std::move(handlers));
}

void Informer::Start() {
  thread_ = std::thread([this] {
    try {
      reflector_->Run(stop_);
    } catch (const std::exception& e) {
      spdlog::critical("msg=\"informer thread ended by an exception\" error=\"{}\"", e.what());
    }
  });
}

void Informer::Stop() {
  stop_.Stop();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> guard(synced_mu_);
  synced_cv_.notify_all();
}

void Informer::MarkSynced() {
  std::lock_guard<std::mutex> guard(synced_mu_);
  synced_ = true;
  synced_cv_.notify_all();
}

bool Informer::HasSynced() const {
  std::lock_guard<std::mutex> guard(synced_mu_);
  return synced_;
}

bool Informer::WaitForSync(const StopSignal& stop, Clock::TimePoint deadline) const {
  std::unique_lock<std::mutex> lock(synced_mu_);
  while (!synced_ && !stop.stopped() && !stop_.stopped()) {
    // Bounded slices so a stop request is seen without the StopSignal knowing our cv.
    Clock::TimePoint slice = std::min(deadline, clock_.Now() + std::chrono::milliseconds(100));
    if (clock_.WaitUntil(synced_cv_, lock, slice) && clock_.Now() >= deadline) break;
  }
  return synced_;
}

}  // namespace modelgate::kube
