// Where the reconciler reports transitions for `kubectl describe`: an interface so unit tests
// record them in memory and the controller sends them through kube::EventRecorder.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "kube/event_recorder.h"

namespace modelgate::op {

class EventSink {
 public:
  virtual ~EventSink() = default;

  // Reports an event about `regarding` (an object with apiVersion, kind and metadata).
  // `reason` is UpperCamelCase ("GateFailed"), `note` one sentence. Never fails: a lost
  // event must not stop a reconcile.
  virtual void Record(const nlohmann::json& regarding, kube::EventType type,
                      const std::string& reason, const std::string& note) = 0;
};

}  // namespace modelgate::op
