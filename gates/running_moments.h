// RunningMoments: the mean and variance of a stream of numbers, for dataset profiles.
//
// Welford's update divides once per value, and each update waits for the previous one: on
// a 1 GB CSV that chain of divisions was a visible share of the data gate's time. Here
// values are collected in blocks of 64, each block's mean and squared deviations are taken
// in two passes, and blocks are combined by Chan, Golub & LeVeque's pairwise formula: as
// stable as Welford's update (a large common offset does not cancel), closer to numpy's
// two-pass np.var, and one division per block.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace modelgate::gates {

class RunningMoments {
 public:
  // Accounts one value. REQUIRES: value is finite.
  void Add(double value) {
    block_[pending_++] = value;
    if (pending_ == kBlock) Flush();
  }

  std::int64_t count() const;
  // The mean, or 0 when there are no values.
  double mean() const;
  // The population variance (numpy.var, ddof=0), or 0 when there are no values.
  double population_variance() const;

 private:
  static constexpr std::size_t kBlock = 64;
  struct Moments {
    double n = 0;
    double mean = 0;
    double m2 = 0;  // sum of squared deviations from the mean
  };
  static Moments OfValues(const double* values, std::size_t n);
  static Moments Combine(const Moments& a, const Moments& b);
  // Every value so far: the combined blocks and the pending ones.
  Moments All() const;
  void Flush();

  std::array<double, kBlock> block_{};
  std::size_t pending_ = 0;
  Moments combined_;
};

}  // namespace modelgate::gates
