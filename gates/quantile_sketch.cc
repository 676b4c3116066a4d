#include "gates/quantile_sketch.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "gates/radix_sort.h"

namespace modelgate::gates {
namespace {

// Level 0 holds raw values until it is compacted, which sorts it. A larger level 0 costs
// nothing per value (the radix sort is linear) and means fewer lossy compactions at weight 1;
// below this size the fixed cost of each compaction dominates.
constexpr std::size_t kLevelZeroCapacity = 2048;

}  // namespace

QuantileSketch::QuantileSketch(std::uint32_t k, std::uint64_t seed) : k_(k), rng_state_(seed) {
  Grow();
}

double QuantileSketch::RankErrorBound(std::uint32_t k) {
  return 2.296 / std::pow(static_cast<double>(k), 0.9723);
}

std::size_t QuantileSketch::Capacity(std::size_t level) const { return capacities_[level]; }

void QuantileSketch::Grow() {
  levels_.emplace_back();
  // Levels shrink geometrically (factor 2/3) below the top one, but not below a floor: tiny
  // low levels would be compacted every few additions, which costs time and buys no memory
  // worth having (the floor adds at most kMinCapacity values per level).
  constexpr std::size_t kMinCapacity = 64;
  capacities_.resize(levels_.size());
  max_retained_ = 0;
  for (std::size_t h = 0; h < levels_.size(); ++h) {
    const double depth = static_cast<double>(levels_.size() - h - 1);
    capacities_[h] = std::max(
        kMinCapacity, static_cast<std::size_t>(std::ceil(std::pow(2.0 / 3.0, depth) * k_)) + 1);
    if (h == 0) capacities_[h] = std::max(capacities_[h], kLevelZeroCapacity);
    max_retained_ += capacities_[h];
  }
}

bool QuantileSketch::NextCoin() {
  // splitmix64
  std::uint64_t z = (rng_state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return ((z ^ (z >> 31)) & 1) != 0;
}

void QuantileSketch::Add(double value) {
  levels_[0].push_back(value);
  ++count_;
  if (++retained_ >= max_retained_) Compress();
}

void QuantileSketch::Compress() {
  for (std::size_t h = 0; h < levels_.size(); ++h) {
    if (levels_[h].size() < Capacity(h)) continue;
    if (h + 1 == levels_.size()) Grow();
    std::vector<double>& level = levels_[h];
    // Levels above 0 are kept sorted as they fill (promoted runs arrive sorted and are merged
    // in), so only level 0 needs a full sort.
    if (h == 0) RadixSortDoubles(&level, &sort_scratch_);
    // Keep every other value (odd or even positions by a fair coin) at double weight; an odd
    // one out stays behind at this level.
    const std::size_t pairs = level.size() / 2;
    const std::size_t start = level.size() % 2;  // leave the smallest behind if odd
    const std::size_t offset = NextCoin() ? 1 : 0;
    promoted_.resize(pairs);
    for (std::size_t i = 0; i < pairs; ++i) promoted_[i] = level[start + 2 * i + offset];
    MergeInto(&levels_[h + 1], promoted_);
    level.resize(start);
    retained_ -= pairs;
    break;
  }
}

void QuantileSketch::MergeInto(std::vector<double>* level, const std::vector<double>& sorted) {
  // std::inplace_merge would allocate a temporary buffer on every compaction.
  merged_.resize(level->size() + sorted.size());
  std::merge(level->begin(), level->end(), sorted.begin(), sorted.end(), merged_.begin());
  level->swap(merged_);
}

void QuantileSketch::Merge(const QuantileSketch& other) {
  while (levels_.size() < other.levels_.size()) Grow();
  for (std::size_t h = 0; h < other.levels_.size(); ++h) {
    std::vector<double>& level = levels_[h];
    if (h == 0) {
      level.insert(level.end(), other.levels_[h].begin(), other.levels_[h].end());
    } else {
      MergeInto(&level, other.levels_[h]);
    }
    retained_ += other.levels_[h].size();
  }
  count_ += other.count_;
  while (retained_ >= max_retained_) {
    const std::size_t before = retained_;
    Compress();
    if (retained_ == before) break;
  }
}

std::size_t QuantileSketch::retained() const { return retained_; }

EmpiricalDistribution QuantileSketch::ToDistribution() const {
  std::vector<std::pair<double, std::uint64_t>> items;
  items.reserve(retained_);
  for (std::size_t h = 0; h < levels_.size(); ++h) {
    for (double v : levels_[h]) items.emplace_back(v, std::uint64_t{1} << h);
  }
  return EmpiricalDistribution::FromWeighted(std::move(items));
}

}  // namespace modelgate::gates
