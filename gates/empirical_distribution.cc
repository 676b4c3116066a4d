#include "gates/empirical_distribution.h"

#include <algorithm>
#include <cmath>

namespace modelgate::gates {

EmpiricalDistribution EmpiricalDistribution::FromValues(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  EmpiricalDistribution d;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!d.values_.empty() && d.values_.back() == values[i]) {
      d.cumulative_.back() += 1;
    } else {
      d.values_.push_back(values[i]);
      d.cumulative_.push_back(static_cast<double>(i) + 1);
    }
  }
  d.total_ = static_cast<double>(values.size());
  return d;
}

EmpiricalDistribution EmpiricalDistribution::FromWeighted(
    std::vector<std::pair<double, std::uint64_t>> items) {
  std::sort(items.begin(), items.end());
  EmpiricalDistribution d;
  double total = 0;
  for (const auto& [value, weight] : items) {
    if (weight == 0) continue;
    total += static_cast<double>(weight);
    if (!d.values_.empty() && d.values_.back() == value) {
      d.cumulative_.back() = total;
    } else {
      d.values_.push_back(value);
      d.cumulative_.push_back(total);
    }
  }
  d.total_ = total;
  return d;
}

double EmpiricalDistribution::CdfAtOrBelow(double x) const {
  auto it = std::upper_bound(values_.begin(), values_.end(), x);
  if (it == values_.begin()) return 0;
  return cumulative_[static_cast<std::size_t>(it - values_.begin()) - 1] / total_;
}

double EmpiricalDistribution::CdfBelow(double x) const {
  auto it = std::lower_bound(values_.begin(), values_.end(), x);
  if (it == values_.begin()) return 0;
  return cumulative_[static_cast<std::size_t>(it - values_.begin()) - 1] / total_;
}

double EmpiricalDistribution::Quantile(double q) const {
  // numpy 'linear': position q*(n-1) among 0-based order statistics.
  const double position = q * (total_ - 1);
  const double lower_rank = std::floor(position);
  const double fraction = position - lower_rank;
  // The value holding 0-based rank r is the first whose cumulative weight exceeds r.
  auto value_at = [this](double rank) {
    auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), rank);
    if (it == cumulative_.end()) return values_.back();
    return values_[static_cast<std::size_t>(it - cumulative_.begin())];
  };
  const double lower = value_at(lower_rank);
  if (fraction == 0) return lower;
  const double upper = value_at(lower_rank + 1);
  // numpy's _lerp form, which is exact at both ends.
  const double diff = upper - lower;
  return fraction >= 0.5 ? upper - diff * (1 - fraction) : lower + diff * fraction;
}

}  // namespace modelgate::gates
