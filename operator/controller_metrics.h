// The operator's Prometheus metrics, rendered in the text exposition format (version 0.0.4)
// for /metrics. Counters and the histogram are updated by workers; gauges are read at scrape
// time through callbacks, so a scrape always shows the current queue depth and Job count.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "api/gate_name.h"
#include "api/model_version.h"

namespace modelgate::op {

class ControllerMetrics {
 public:
  // Upper bounds of the reconcile duration buckets, in seconds (+Inf is implicit).
  static constexpr std::array<double, 10> kDurationBuckets = {0.001, 0.005, 0.01, 0.025, 0.05,
                                                              0.1,   0.25,  0.5,  1,     5};

  // Counts one reconcile that took `duration`; `error` when it returned a non-OK status.
  void ObserveReconcile(std::chrono::nanoseconds duration, bool error);

  // Counts a gate that reached `outcome` (Passed, Failed or Error).
  void ObserveGateOutcome(GateName gate, GatePhase outcome);

  // Sources of the gauges; unset ones are reported as 0.
  void SetQueueDepth(std::function<double()> source);
  void SetRunningJobs(std::function<double()> source);
  void SetLeader(std::function<double()> source);

  // The metrics in Prometheus text format.
  std::string Render() const;

 private:
  mutable std::mutex mu_;
  uint64_t reconciles_ = 0;                                      // guarded by mu_
  uint64_t errors_ = 0;                                          // guarded by mu_
  std::array<uint64_t, kDurationBuckets.size()> buckets_{};      // guarded by mu_; not cumulative
  uint64_t duration_count_ = 0;                                  // guarded by mu_
  double duration_sum_ = 0;                                      // guarded by mu_
  std::map<std::pair<GateName, GatePhase>, uint64_t> outcomes_;  // guarded by mu_
  std::function<double()> queue_depth_;                          // guarded by mu_
  std::function<double()> running_jobs_;                         // guarded by mu_
  std::function<double()> leader_;                               // guarded by mu_
};

}  // namespace modelgate::op
