#include "gates/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace modelgate::gates {
namespace {

// 3 significant digits need single-unit resolution up to 2 * 10^3, so 2048 sub-buckets
// (2^11); each bucket after the first covers the upper half of a doubling range.
constexpr int kSubBucketHalfCountMagnitude = 10;
constexpr std::int64_t kSubBucketCount = std::int64_t{1} << (kSubBucketHalfCountMagnitude + 1);
constexpr std::int64_t kSubBucketHalfCount = kSubBucketCount / 2;
constexpr std::int64_t kSubBucketMask = kSubBucketCount - 1;

int BucketsNeeded(std::int64_t highest_trackable) {
  std::int64_t smallest_untrackable = kSubBucketCount;
  int buckets = 1;
  while (smallest_untrackable <= highest_trackable) {
    if (smallest_untrackable > INT64_MAX / 2) return buckets + 1;
    smallest_untrackable <<= 1;
    ++buckets;
  }
  return buckets;
}

}  // namespace

LatencyHistogram::LatencyHistogram(std::int64_t highest_trackable)
    : highest_trackable_(std::max<std::int64_t>(highest_trackable, kSubBucketCount)),
      counts_(
          static_cast<std::size_t>((BucketsNeeded(highest_trackable_) + 1) * kSubBucketHalfCount)) {
}

int LatencyHistogram::BucketIndex(std::int64_t value) const {
  const int pow2_ceiling =
      64 - std::countl_zero(static_cast<std::uint64_t>(value | kSubBucketMask));
  return pow2_ceiling - (kSubBucketHalfCountMagnitude + 1);
}

std::size_t LatencyHistogram::CountsIndex(std::int64_t value) const {
  const int bucket = BucketIndex(value);
  const std::int64_t sub_bucket = value >> bucket;
  return static_cast<std::size_t>(((std::int64_t{bucket} + 1) << kSubBucketHalfCountMagnitude) +
                                  (sub_bucket - kSubBucketHalfCount));
}

std::int64_t LatencyHistogram::ValueAtIndex(std::size_t index) const {
  std::int64_t bucket = (static_cast<std::int64_t>(index) >> kSubBucketHalfCountMagnitude) - 1;
  std::int64_t sub_bucket =
      (static_cast<std::int64_t>(index) & (kSubBucketHalfCount - 1)) + kSubBucketHalfCount;
  if (bucket < 0) {
    sub_bucket -= kSubBucketHalfCount;
    bucket = 0;
  }
  return sub_bucket << bucket;
}

std::int64_t LatencyHistogram::HighestEquivalentValue(std::int64_t value) const {
  const int bucket = BucketIndex(value);
  const std::int64_t sub_bucket = value >> bucket;
  const int adjusted_bucket = sub_bucket >= kSubBucketCount ? bucket + 1 : bucket;
  const std::int64_t lowest = sub_bucket << bucket;
  return lowest + (std::int64_t{1} << adjusted_bucket) - 1;
}

void LatencyHistogram::RecordValue(std::int64_t value) {
  if (value < 1) value = 1;
  if (value > highest_trackable_) {
    value = highest_trackable_;
    ++clamped_;
  }
  ++counts_[CountsIndex(value)];
  ++total_;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

Status LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.highest_trackable_ != highest_trackable_) {
    return Status::InvalidArgument("cannot merge latency histograms of different ranges (" +
                                   std::to_string(highest_trackable_) + " and " +
                                   std::to_string(other.highest_trackable_) + " ns)");
  }
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  clamped_ += other.clamped_;
  return Status::Ok();
}

std::int64_t LatencyHistogram::ValueAtPercentile(double percentile) const {
  if (total_ == 0) return 0;
  const double requested = std::clamp(percentile, 0.0, 100.0);
  std::int64_t wanted = static_cast<std::int64_t>(requested / 100.0 * total_ + 0.5);
  wanted = std::max<std::int64_t>(wanted, 1);
  std::int64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= wanted) {
      const std::int64_t value = ValueAtIndex(i);
      if (requested == 0) return std::max(value, min_);
      return std::min(HighestEquivalentValue(value), max_);
    }
  }
  return max_;
}

double LatencyHistogram::mean() const {
  if (total_ == 0) return 0;
  // Each bucket contributes its midpoint, as HdrHistogram does.
  long double sum = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    const std::int64_t low = ValueAtIndex(i);
    const std::int64_t high = HighestEquivalentValue(low);
    sum += static_cast<long double>(counts_[i]) * (static_cast<long double>(low + high) / 2);
  }
  return static_cast<double>(sum / total_);
}

LatencyHistogram LatencyHistogram::CorrectedForInterval(std::int64_t expected_interval) const {
  LatencyHistogram corrected(highest_trackable_);
  corrected.min_ = min_;
  corrected.max_ = max_;
  corrected.clamped_ = clamped_;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    const std::int64_t count = counts_[i];
    if (count == 0) continue;
    // The bucket's highest value, as HdrHistogram's recorded-values iteration gives it.
    const std::int64_t value = HighestEquivalentValue(ValueAtIndex(i));
    corrected.counts_[i] += count;
    corrected.total_ += count;
    for (std::int64_t missing = value - expected_interval; missing >= expected_interval;
         missing -= expected_interval) {
      corrected.counts_[CountsIndex(missing)] += count;
      corrected.total_ += count;
    }
  }
  return corrected;
}

LatencySummary LatencyHistogram::Summarize() const {
  LatencySummary summary;
  summary.count = total_;
  summary.min = min();
  summary.p50 = ValueAtPercentile(50);
  summary.p90 = ValueAtPercentile(90);
  summary.p95 = ValueAtPercentile(95);
  summary.p99 = ValueAtPercentile(99);
  summary.p999 = ValueAtPercentile(99.9);
  summary.max = max_;
  summary.mean = mean();
  return summary;
}

}  // namespace modelgate::gates
