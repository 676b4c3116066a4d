// QuantileSketch: a mergeable KLL sketch (Karnin, Lang & Liberty, "Optimal Quantile
// Approximation in Streams", FOCS 2016) of a numeric column too large to keep in memory.
//
// Error bound. For a sketch with parameter k, the rank of any value estimated from the sketch
// differs from its true rank by at most eps(k) * n with probability 99%, where
//   eps(k) = 2.296 / k^0.9723
// is the single-query bound Apache DataSketches documents for its KLL sketch (for the default
// k = 512 here, eps ~= 0.53%); RankErrorBound(k) returns it and quantile_sketch_test checks
// the worst rank error over many values and seeds against it. The sketch keeps
// O(k * log(n/k)) values plus a level 0 of up to 2048 raw values, which is sorted in linear
// time (radix_sort.h) when it is compacted. Consequences for the drift statistics computed from
// sketches: a CDF is off by at most eps, so a KS statistic from two sketches is off by at most
// eps_ref + eps_cur, and PSI decile bins hold 10% +- eps of the reference each.
//
// Compaction coin flips come from a seeded generator, so a run is reproducible.
#pragma once

#include <cstdint>
#include <vector>

#include "gates/empirical_distribution.h"

namespace modelgate::gates {

class QuantileSketch {
 public:
  // REQUIRES: k >= 8.
  explicit QuantileSketch(std::uint32_t k = 512, std::uint64_t seed = 0x9E3779B97F4A7C15ULL);

  // Adds one observation. REQUIRES: value is not NaN.
  void Add(double value);

  // Adds every observation of `other`, as if they had been added to this sketch.
  // REQUIRES: other.k() == k().
  void Merge(const QuantileSketch& other);

  std::uint32_t k() const { return k_; }
  // The number of observations added (directly or by merging).
  std::uint64_t count() const { return count_; }
  // The number of values the sketch retains.
  std::size_t retained() const;

  // The retained values with their weights, as a distribution to query or compare.
  EmpiricalDistribution ToDistribution() const;

  // eps(k) of the header comment.
  static double RankErrorBound(std::uint32_t k);

 private:
  std::size_t Capacity(std::size_t level) const;
  void Grow();
  // Compacts the lowest level that is over its capacity.
  void Compress();
  bool NextCoin();
  // Merges the ascending `sorted` into the ascending `level`.
  void MergeInto(std::vector<double>* level, const std::vector<double>& sorted);

  std::uint32_t k_;
  std::uint64_t rng_state_;
  std::uint64_t count_ = 0;
  std::size_t retained_ = 0;
  std::size_t max_retained_ = 0;
  std::vector<std::vector<double>> levels_;  // levels_[h] holds values of weight 2^h
  std::vector<std::size_t> capacities_;      // parallel to levels_
  // Working memory of compactions, kept to avoid an allocation per compaction.
  std::vector<double> promoted_;
  std::vector<double> merged_;
  std::vector<std::uint64_t> sort_scratch_;
};

}  // namespace modelgate::gates
