// EventRecorder: events.k8s.io/v1 Events about objects (`kubectl describe` shows them),
// de-duplicated as client-go's events/v1 broadcaster does: the same event about the same
// object within the series window becomes one Event whose series.count grows (a merge
// patch) instead of a new Event each time.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "api/status.h"
#include "kube/client.h"
#include "kube/clock.h"

namespace modelgate::kube {

enum class EventType { kNormal, kWarning };

struct EventSource {
  std::string reporting_controller;  // "modelgate.io/operator"
  std::string reporting_instance;    // the pod name
};

class EventRecorder {
 public:
  // client-go's isomorphic-event window.
  static constexpr std::chrono::minutes kDefaultSeriesWindow{6};

  // REQUIRES: client and clock outlive the recorder.
  EventRecorder(Client& client, const Clock& clock, EventSource source,
                Clock::Duration series_window = kDefaultSeriesWindow);

  // Records an event about `regarding`, an object with apiVersion, kind and metadata
  // (name, namespace, uid, resourceVersion). `reason` is UpperCamelCase ("GateFailed"),
  // `action` what was done ("Validate"), `note` a human sentence (truncated to 1 KiB).
  // Returns the API error if the Event could not be written; callers usually only log it.
  Status Record(const Json& regarding, EventType type, const std::string& reason,
                const std::string& action, const std::string& note);

  // Forgets series older than the window (called by Record; exposed for tests).
  void ExpireSeries();

 private:
  struct Series {
    std::string ns;
    std::string name;
    int count = 1;
    Clock::TimePoint last_seen;
  };

  Client& client_;
  const Clock& clock_;
  const EventSource source_;
  const Clock::Duration window_;
  std::mutex mu_;
  std::map<std::string, Series> series_;  // guarded by mu_; by isomorphism key
  uint64_t name_counter_ = 0;             // guarded by mu_
};

}  // namespace modelgate::kube
