// The webhook's Prometheus metrics: admission requests by kind, operation and decision,
// and a histogram of the time from a parsed request to its answer.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace modelgate::webhook {

class AdmissionMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds; +Inf is implied.
  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0};
  // Distinct label sets kept; further ones are counted under kind="other", so a client
  // sending made-up kinds cannot grow memory without bound.
  static constexpr size_t kMaxSeries = 512;

  // Counts one request. `decision` is "allowed", "warned", "audited" (allowed with audit
  // annotations only), "denied", "unready" (refused before the caches synced) or "invalid".
  void Record(std::string_view kind, std::string_view operation, std::string_view decision,
              std::chrono::nanoseconds latency);

  // The Prometheus text exposition (format 0.0.4) of every metric.
  std::string RenderPrometheus() const;

  // The count for one label set; for tests.
  uint64_t RequestCount(std::string_view kind, std::string_view operation,
                        std::string_view decision) const;

 private:
  static std::string SeriesKey(std::string_view kind, std::string_view operation,
                               std::string_view decision);

  mutable std::mutex mu_;
  std::unordered_map<std::string, uint64_t> requests_;  // guarded by mu_

  std::array<std::atomic<uint64_t>, kLatencyBuckets.size() + 1> latency_counts_{};
  std::atomic<uint64_t> latency_sum_ns_{0};
};

}  // namespace modelgate::webhook
