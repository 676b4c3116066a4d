#include "gates/running_moments.h"

namespace modelgate::gates {

RunningMoments::Moments RunningMoments::OfValues(const double* values, std::size_t n) {
  Moments m;
  if (n == 0) return m;
  // Summing differences from the first value keeps a constant block's mean exact.
  const double shift = values[0];
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += values[i] - shift;
  m.n = static_cast<double>(n);
  m.mean = shift + sum / m.n;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = values[i] - m.mean;
    m.m2 += d * d;
  }
  return m;
}

RunningMoments::Moments RunningMoments::Combine(const Moments& a, const Moments& b) {
  if (a.n == 0) return b;
  if (b.n == 0) return a;
  Moments m;
  m.n = a.n + b.n;
  const double delta = b.mean - a.mean;
  m.mean = a.mean + delta * (b.n / m.n);
  m.m2 = a.m2 + b.m2 + delta * delta * (a.n * b.n / m.n);
  return m;
}

void RunningMoments::Flush() {
  combined_ = Combine(combined_, OfValues(block_.data(), pending_));
  pending_ = 0;
}

RunningMoments::Moments RunningMoments::All() const {
  return Combine(combined_, OfValues(block_.data(), pending_));
}

std::int64_t RunningMoments::count() const {
  return static_cast<std::int64_t>(combined_.n) + static_cast<std::int64_t>(pending_);
}

double RunningMoments::mean() const { return All().mean; }

double RunningMoments::population_variance() const {
  const Moments m = All();
  return m.n == 0 ? 0.0 : m.m2 / m.n;
}

}  // namespace modelgate::gates
