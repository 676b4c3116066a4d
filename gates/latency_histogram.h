// A latency histogram with HdrHistogram's log-linear buckets: every recorded value is kept to
// 3 significant decimal digits (relative error under 0.1%) from 1 ns up to an hour, in a
// fixed 300 KB of counters, whatever the number of samples. Histograms of the same range
// merge exactly, so each load-generator thread keeps its own and they are added at the end.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "api/status.h"

namespace modelgate::gates {

// The percentiles a stress report shows, in nanoseconds.
struct LatencySummary {
  std::int64_t count = 0;
  std::int64_t min = 0;
  std::int64_t p50 = 0;
  std::int64_t p90 = 0;
  std::int64_t p95 = 0;
  std::int64_t p99 = 0;
  std::int64_t p999 = 0;
  std::int64_t max = 0;
  double mean = 0;
};

class LatencyHistogram {
 public:
  // Tracks values from 1 to `highest_trackable` nanoseconds; larger values are recorded as
  // highest_trackable (and counted in clamped()).
  // REQUIRES: highest_trackable >= 2048.
  explicit LatencyHistogram(std::int64_t highest_trackable = 3'600'000'000'000);

  // Records one value; values below 1 count as 1.
  void Record(std::chrono::nanoseconds latency) { RecordValue(latency.count()); }
  void RecordValue(std::int64_t value);

  // Adds every count of `other` to this histogram. Fails with InvalidArgument when the two
  // track different ranges.
  Status Merge(const LatencyHistogram& other);

  // The smallest recorded-equivalent value at or below which `percentile` percent of the
  // values lie (HdrHistogram's definition), capped at the largest value recorded. 0 when
  // empty. REQUIRES: 0 <= percentile <= 100.
  std::int64_t ValueAtPercentile(double percentile) const;

  // Count, min, p50, p90, p95, p99, p99.9, max and mean.
  LatencySummary Summarize() const;

  // What a closed loop would have recorded had it kept sending every `expected_interval`
  // while it waited: a copy in which each value v above the interval also records v - i,
  // v - 2i, ... down to i (HdrHistogram's copyCorrectedForCoordinatedOmission, which wrk
  // applies to its own results). An estimate for comparing with tools that report it; the
  // stress gate's open loop measures the real thing. REQUIRES: expected_interval > 0.
  LatencyHistogram CorrectedForInterval(std::int64_t expected_interval) const;

  std::int64_t count() const { return total_; }
  std::int64_t min() const { return total_ == 0 ? 0 : min_; }
  std::int64_t max() const { return max_; }
  std::int64_t clamped() const { return clamped_; }
  double mean() const;

  // The highest value that shares `value`'s bucket: how precisely `value` is kept.
  std::int64_t HighestEquivalentValue(std::int64_t value) const;

 private:
  int BucketIndex(std::int64_t value) const;
  std::size_t CountsIndex(std::int64_t value) const;
  std::int64_t ValueAtIndex(std::size_t index) const;

  std::int64_t highest_trackable_;
  std::vector<std::int64_t> counts_;
  std::int64_t total_ = 0;
  std::int64_t min_ = INT64_MAX;
  std::int64_t max_ = 0;
  std::int64_t clamped_ = 0;
};

}  // namespace modelgate::gates
