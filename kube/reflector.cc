#include "kube/reflector.h"

#include <spdlog/spdlog.h>

#include "kube/api_error.h"

namespace modelgate::kube {
namespace {

// How often a blocked watch read checks for a stop request.
constexpr auto kStopPollInterval = std::chrono::milliseconds(500);
// A watch that ends sooner than this without any event counts as a failure (backoff), so
// a server that closes watches at once is not hammered.
constexpr auto kMinimumWatchDuration = std::chrono::seconds(1);

}  // namespace

Reflector::Reflector(Client& client, GroupVersionResource gvr, std::string ns, ReflectorSink& sink,
                     const Clock& clock, ReflectorOptions options)
    : client_(client),
      gvr_(std::move(gvr)),
      ns_(std::move(ns)),
      sink_(sink),
      clock_(clock),
      options_(std::move(options)),
      rng_(options_.seed) {}

std::string Reflector::last_resource_version() const {
  std::lock_guard<std::mutex> guard(mu_);
  return resource_version_;
}

int Reflector::lists() const {
  std::lock_guard<std::mutex> guard(mu_);
  return lists_;
}

void Reflector::SetResourceVersion(const std::string& rv) {
  if (rv.empty()) return;
  std::lock_guard<std::mutex> guard(mu_);
  resource_version_ = rv;
}

void WholeListSink::ListedPage(std::vector<Json> objects) {
  if (listed_.empty()) {
    listed_ = std::move(objects);
  } else {
    listed_.insert(listed_.end(), std::make_move_iterator(objects.begin()),
                   std::make_move_iterator(objects.end()));
  }
}

void WholeListSink::ListCompleted(const std::string& resource_version) {
  std::vector<Json> objects = std::move(listed_);
  listed_.clear();
  Replace(std::move(objects), resource_version);
}

void WholeListSink::ListAbandoned() {
  listed_.clear();
  listed_.shrink_to_fit();
}

Status Reflector::List(const StopSignal& stop) {
  bool unfinished = false;
  try {
    Status status = ListPages(stop, &unfinished);
    if (unfinished) sink_.ListAbandoned();
    return status;
  } catch (...) {
    // A sink must never carry an unfinished list's pages into the next list: objects deleted
    // meanwhile would come back with it.
    if (unfinished) sink_.ListAbandoned();
    throw;
  }
}

Status Reflector::ListPages(const StopSignal& stop, bool* unfinished) {
  std::string rv;
  if (!relist_consistently_ && !options_.paged_lists) {
    rv = last_resource_version();
    if (rv.empty()) rv = "0";  // served by the watch cache, not etcd
  }
  std::string list_rv;
  ListOptions options;
  options.label_selector = options_.label_selector;
  options.field_selector = options_.field_selector;
  options.resource_version = rv;
  options.limit = options_.page_size;
  options.keep_item_field = options_.keep_item_field;
  while (true) {
    Result<Json> page = client_.List(gvr_, ns_, options);
    if (!page.ok()) {
      if (IsGone(page.status())) relist_consistently_ = true;
      return page.status();
    }
    Json& list = *page;
    if (!list.contains("items") || !(list["items"].is_array() || list["items"].is_null())) {
      return Status::Internal("list of " + gvr_.ToString() + " has no items array");
    }
    std::string kind = list.value("kind", "");
    if (kind.size() > 4 && kind.compare(kind.size() - 4, 4, "List") == 0) {
      kind.resize(kind.size() - 4);
    } else {
      kind.clear();
    }
    std::vector<Json> items;
    if (list["items"].is_array()) {
      items.reserve(list["items"].size());
      for (Json& item : list["items"]) {
        if (!item.is_object()) {
          return Status::Internal("list of " + gvr_.ToString() +
                                  " has an item that is not an object");
        }
        Json object = std::move(item);
        // List items carry no apiVersion/kind; handlers and event recorders want them.
        if (!object.contains("apiVersion")) object["apiVersion"] = gvr_.ApiVersion();
        if (!object.contains("kind") && !kind.empty()) object["kind"] = kind;
        if (options_.transform) options_.transform(object);
        items.push_back(std::move(object));
      }
    }
    list_rv = ResourceVersionOf(list);
    std::string next;
    if (list.contains("metadata") && list["metadata"].contains("continue") &&
        list["metadata"]["continue"].is_string()) {
      next = list["metadata"]["continue"].get<std::string>();
    }
    // The page's JSON goes before the sink takes its objects in.
    list = Json();
    *unfinished = true;
    sink_.ListedPage(std::move(items));
    if (next.empty()) break;
    // A stop between pages abandons the list rather than reading the rest of it.
    if (stop.stopped()) return Status::Ok();
    options.continue_token = next;
    options.resource_version.clear();  // the continue token pins the snapshot
  }
  *unfinished = false;
  sink_.ListCompleted(list_rv);
  relist_consistently_ = false;
  SetResourceVersion(list_rv);
  std::lock_guard<std::mutex> guard(mu_);
  ++lists_;
  return Status::Ok();
}

Status Reflector::Watch(const StopSignal& stop, int* events) {
  *events = 0;
  WatchOptions options;
  options.label_selector = options_.label_selector;
  options.field_selector = options_.field_selector;
  options.resource_version = last_resource_version();
  options.allow_bookmarks = true;
  int64_t min_seconds = options_.min_watch_timeout.count();
  std::uniform_int_distribution<int64_t> timeout(min_seconds,
                                                 std::max(min_seconds, 2 * min_seconds - 1));
  options.timeout_seconds = static_cast<int>(timeout(rng_));
  Result<std::unique_ptr<WatchStream>> opened = client_.Watch(gvr_, ns_, options);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<WatchStream> stream = std::move(opened).value();
  {
    std::lock_guard<std::mutex> guard(open_watch_->mu);
    open_watch_->stream = stream.get();
  }
  struct Unpublish {
    OpenWatch& open;
    ~Unpublish() {
      std::lock_guard<std::mutex> guard(open.mu);
      open.stream = nullptr;
    }
  } unpublish{*open_watch_};
  if (!stop_hooked_) {
    stop_hooked_ = true;
    std::weak_ptr<OpenWatch> weak = open_watch_;
    stop.OnStop([weak] {
      if (auto open = weak.lock()) {
        std::lock_guard<std::mutex> guard(open->mu);
        if (open->stream != nullptr) open->stream->Cancel();
      }
    });
  }
  const std::string context = "watch " + gvr_.ToString();
  while (true) {
    if (stop.stopped()) {
      stream->Cancel();
      return Status::Ok();
    }
    Result<std::optional<WatchEvent>> next =
        stream->Next(std::chrono::steady_clock::now() + kStopPollInterval);
    if (stop.stopped()) return Status::Ok();
    if (!next.ok()) return next.status();
    if (!next->has_value()) continue;
    WatchEvent& event = **next;
    switch (event.type) {
      case WatchEventType::kError:
        return StatusFromApiStatus(event.object, context);
      case WatchEventType::kBookmark:
        SetResourceVersion(ResourceVersionOf(event.object));
        continue;
      case WatchEventType::kAdded:
      case WatchEventType::kModified:
      case WatchEventType::kDeleted:
        break;
    }
    ++*events;
    std::string rv = ResourceVersionOf(event.object);
    if (options_.transform) options_.transform(event.object);
    if (event.type == WatchEventType::kAdded)
      sink_.Added(std::move(event.object));
    else if (event.type == WatchEventType::kModified)
      sink_.Modified(std::move(event.object));
    else
      sink_.Deleted(std::move(event.object));
    SetResourceVersion(rv);
  }
}

Status Reflector::ListAndWatch(const StopSignal& stop) {
  MODELGATE_RETURN_IF_ERROR(List(stop));
  if (stop.stopped()) return Status::Ok();
  int events = 0;
  return Watch(stop, &events);
}

Clock::Duration Reflector::NextBackoff(const Status& cause) {
  if (auto retry_after = RetryAfter(cause)) {
    return std::chrono::duration_cast<Clock::Duration>(*retry_after);
  }
  Clock::Duration initial = options_.initial_backoff;
  Clock::Duration max = options_.max_backoff;
  backoff_ = backoff_ == Clock::Duration::zero() ? initial : std::min(backoff_ * 2, max);
  // Full jitter on top, as wait.Jitter(d, 1.0): replicas that failed together retry apart.
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  return backoff_ + std::chrono::duration_cast<Clock::Duration>(backoff_ * jitter(rng_));
}

void Reflector::Run(const StopSignal& stop) {
  bool need_list = true;
  while (!stop.stopped()) {
    Status status;
    bool healthy = false;
    try {
      if (need_list) {
        status = List(stop);
        if (stop.stopped()) break;
        if (status.ok()) need_list = false;
      }
      if (!need_list) {
        Clock::TimePoint started = clock_.Now();
        int events = 0;
        status = Watch(stop, &events);
        Clock::Duration lasted = clock_.Now() - started;
        healthy = lasted >= options_.healthy_watch;
        if (IsWatchEnded(status) && (events > 0 || lasted >= kMinimumWatchDuration)) {
          if (healthy) backoff_ = Clock::Duration::zero();
          continue;  // the server's timeoutSeconds: watch again from the last version
        }
        if (IsGone(status)) {
          spdlog::info("msg=\"resource version expired, relisting\" resource={} ns={}",
                       gvr_.ToString(), ns_);
          need_list = true;
          relist_consistently_ = true;
          continue;
        }
      }
    } catch (const std::exception& e) {
      status = Status::Internal(std::string("list/watch: ") + e.what());
    }
    if (stop.stopped()) break;
    if (status.ok()) continue;
    if (healthy) backoff_ = Clock::Duration::zero();
    Clock::Duration wait = NextBackoff(status);
    spdlog::warn("msg=\"list/watch failed\" resource={} ns={} error=\"{}\" retry_in_ms={}",
                 gvr_.ToString(), ns_, status.ToString(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(wait).count());
    stop.WaitUntil(clock_, clock_.Now() + wait);
  }
}

}  // namespace modelgate::kube
