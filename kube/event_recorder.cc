#include "kube/event_recorder.h"

#include <spdlog/spdlog.h>

#include "kube/time_format.h"

namespace modelgate::kube {
namespace {

constexpr size_t kMaxNoteBytes = 1024;
constexpr size_t kMaxReasonBytes = 128;

std::string Truncate(const std::string& s, size_t max) {
  return s.size() <= max ? s : s.substr(0, max);
}

std::string Field(const Json& object, const char* field) {
  auto it = object.find(field);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

EventRecorder::EventRecorder(Client& client, const Clock& clock, EventSource source,
                             Clock::Duration series_window)
    : client_(client), clock_(clock), source_(std::move(source)), window_(series_window) {}

void EventRecorder::ExpireSeries() {
  std::lock_guard<std::mutex> guard(mu_);
  Clock::TimePoint now = clock_.Now();
  for (auto it = series_.begin(); it != series_.end();) {
    if (now - it->second.last_seen > window_)
      it = series_.erase(it);
    else
      ++it;
  }
}

Status EventRecorder::Record(const Json& regarding, EventType type, const std::string& reason,
                             const std::string& action, const std::string& note) {
  ExpireSeries();
  const std::string type_name = type == EventType::kWarning ? "Warning" : "Normal";
  const std::string object_ns = NamespaceOf(regarding);
  // Events about cluster-scoped objects live in "default", as client-go puts them.
  const std::string event_ns = object_ns.empty() ? "default" : object_ns;
  const std::string trimmed_note = Truncate(note, kMaxNoteBytes);
  const std::string key = Field(regarding, "kind") + "/" + object_ns + "/" + NameOf(regarding) +
                          "/" + UidOf(regarding) + "|" + type_name + "|" + reason + "|" + action +
                          "|" + trimmed_note;
  const std::string now = FormatMicroTime(clock_.WallNow());

  Series existing;
  bool repeat = false;
  {
    std::lock_guard<std::mutex> guard(mu_);
    auto it = series_.find(key);
    if (it != series_.end()) {
      it->second.count++;
      it->second.last_seen = clock_.Now();
      existing = it->second;
      repeat = true;
    }
  }
  if (repeat) {
    Json patch = {{"series", {{"count", existing.count}, {"lastObservedTime", now}}}};
    Result<Json> patched =
        client_.MergePatch({EventsResource(), existing.ns, existing.name}, patch);
    if (patched.ok() || patched.status().code() != Status::Code::kNotFound) {
      return patched.ok() ? Status::Ok() : patched.status();
    }
    // The Event was deleted (TTL): start a new one.
  }

  std::string name;
  {
    std::lock_guard<std::mutex> guard(mu_);
    auto nanos =
        std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.WallNow().time_since_epoch())
            .count();
    char suffix[40];
    std::snprintf(
        suffix, sizeof(suffix), ".%llx",
        static_cast<unsigned long long>(nanos) + static_cast<unsigned long long>(name_counter_++));
    name = NameOf(regarding) + suffix;
  }
  Json regarding_ref = {{"apiVersion", Field(regarding, "apiVersion")},
                        {"kind", Field(regarding, "kind")},
                        {"name", NameOf(regarding)}};
  if (!object_ns.empty()) regarding_ref["namespace"] = object_ns;
  if (!UidOf(regarding).empty()) regarding_ref["uid"] = UidOf(regarding);
  if (!ResourceVersionOf(regarding).empty()) {
    regarding_ref["resourceVersion"] = ResourceVersionOf(regarding);
  }
  Json event = {{"apiVersion", "events.k8s.io/v1"},
                {"kind", "Event"},
                {"metadata", {{"name", name}, {"namespace", event_ns}}},
                {"eventTime", now},
                {"reportingController", source_.reporting_controller},
                {"reportingInstance", source_.reporting_instance},
                {"action", Truncate(action, kMaxReasonBytes)},
                {"reason", Truncate(reason, kMaxReasonBytes)},
                {"note", trimmed_note},
                {"type", type_name},
                {"regarding", regarding_ref}};
  Result<Json> created = client_.Create(EventsResource(), event_ns, event);
  if (!created.ok()) return created.status();
  std::lock_guard<std::mutex> guard(mu_);
  series_[key] = Series{event_ns, name, 1, clock_.Now()};
  return Status::Ok();
}

}  // namespace modelgate::kube
