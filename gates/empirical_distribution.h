// EmpiricalDistribution: a sorted, weighted sample of a numeric column.
//
// The drift statistics work on this one shape so that they run unchanged on exact data
// (every value, weight 1) and on the compacted items of a QuantileSketch (weights 2^level).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace modelgate::gates {

class EmpiricalDistribution {
 public:
  EmpiricalDistribution() = default;

  // Every value with weight 1. NaNs must have been dropped by the caller.
  static EmpiricalDistribution FromValues(std::vector<double> values);

  // (value, weight) items in any order; items with weight 0 are dropped.
  static EmpiricalDistribution FromWeighted(std::vector<std::pair<double, std::uint64_t>> items);

  bool empty() const { return values_.empty(); }
  // The total weight: the number of observations represented.
  double total() const { return total_; }
  // Distinct values, ascending, and the weight at or below each.
  const std::vector<double>& values() const { return values_; }
  const std::vector<double>& cumulative() const { return cumulative_; }

  // The share of the weight at values <= x (side='right' in numpy terms).
  double CdfAtOrBelow(double x) const;
  // The share of the weight at values < x.
  double CdfBelow(double x) const;

  // The q-quantile with numpy's default ('linear') interpolation between order statistics;
  // on weighted items, interpolation is between the items holding the two ranks.
  // REQUIRES: !empty(), 0 <= q <= 1.
  double Quantile(double q) const;

 private:
  std::vector<double> values_;
  std::vector<double> cumulative_;
  double total_ = 0;
};

}  // namespace modelgate::gates
