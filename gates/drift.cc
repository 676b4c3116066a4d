#include "gates/drift.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace modelgate::gates {
namespace {

// Walks the union of both supports in ascending order, calling f(value, F_ref, F_cur) with
// both CDFs evaluated at that value (side='right').
template <typename F>
void WalkSupports(const EmpiricalDistribution& a, const EmpiricalDistribution& b, F&& f) {
  const auto& av = a.values();
  const auto& bv = b.values();
  std::size_t i = 0, j = 0;
  double fa = 0, fb = 0;
  while (i < av.size() || j < bv.size()) {
    double v;
    if (j == bv.size() || (i < av.size() && av[i] <= bv[j])) {
      v = av[i];
    } else {
      v = bv[j];
    }
    if (i < av.size() && av[i] == v) fa = a.cumulative()[i++] / a.total();
    if (j < bv.size() && bv[j] == v) fb = b.cumulative()[j++] / b.total();
    f(v, fa, fb);
  }
}

void FloorZeroShares(std::vector<double>* shares) {
  double smallest = std::numeric_limits<double>::infinity();
  for (double s : *shares) {
    if (s != 0) smallest = std::min(smallest, s);
  }
  const double floor = smallest <= 0.0001 ? smallest / 1e6 : 0.0001;
  for (double& s : *shares) {
    if (s == 0) s = floor;
  }
}

std::vector<double> Shares(const std::vector<double>& counts) {
  double total = 0;
  for (double c : counts) total += c;
  std::vector<double> out(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) out[i] = counts[i] / total;
  return out;
}

// x*ln(x/y) with the conventions of scipy.special.rel_entr.
double RelativeEntropy(double x, double y) {
  if (x == 0) return 0;
  if (y == 0) return std::numeric_limits<double>::infinity();
  return x * std::log(x / y);
}

}  // namespace

double KsStatistic(const EmpiricalDistribution& reference, const EmpiricalDistribution& current) {
  double d = 0;
  WalkSupports(reference, current,
               [&d](double, double fa, double fb) { d = std::max(d, std::abs(fa - fb)); });
  return d;
}

double WassersteinDistance(const EmpiricalDistribution& reference,
                           const EmpiricalDistribution& current) {
  double sum = 0;
  bool first = true;
  double previous = 0, previous_fa = 0, previous_fb = 0;
  WalkSupports(reference, current, [&](double v, double fa, double fb) {
    if (!first) sum += std::abs(previous_fa - previous_fb) * (v - previous);
    first = false;
    previous = v;
    previous_fa = fa;
    previous_fb = fb;
  });
  return sum;
}

double NormedWassersteinDistance(const EmpiricalDistribution& reference,
                                 const EmpiricalDistribution& current, double reference_std) {
  return WassersteinDistance(reference, current) / std::max(reference_std, 0.001);
}

std::vector<double> DecileEdges(const EmpiricalDistribution& reference) {
  std::vector<double> edges;
  for (int i = 1; i <= 9; ++i) edges.push_back(reference.Quantile(i / 10.0));
  return edges;
}

std::vector<double> BinCounts(const EmpiricalDistribution& d, const std::vector<double>& edges) {
  std::vector<double> counts(edges.size() + 1, 0.0);
  double below_previous = 0;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const double below = d.CdfBelow(edges[i]) * d.total();
    counts[i] = below - below_previous;
    below_previous = below;
  }
  counts.back() = d.total() - below_previous;
  return counts;
}

std::vector<double> HistogramCounts(const EmpiricalDistribution& d, double low, double high,
                                    std::size_t bins) {
  if (low == high) {
    low -= 0.5;
    high += 0.5;
  }
  std::vector<double> counts(bins, 0.0);
  const auto& values = d.values();
  // The same arithmetic as numpy: index from the normalised position, then a correction
  // against the linspace edges.
  const double norm = static_cast<double>(bins) / (high - low);
  const double step = (high - low) / static_cast<double>(bins);
  auto edge = [&](std::size_t k) { return k == bins ? high : static_cast<double>(k) * step + low; };
  double previous_cumulative = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double weight = d.cumulative()[i] - previous_cumulative;
    previous_cumulative = d.cumulative()[i];
    const double v = values[i];
    if (v < low || v > high) continue;
    auto bin = static_cast<std::size_t>((v - low) * norm);
    if (bin == bins) --bin;
    if (v < edge(bin) && bin > 0) {
      --bin;
    } else if (bin + 1 < bins && v >= edge(bin + 1)) {
      ++bin;
    }
    counts[bin] += weight;
  }
  return counts;
}

std::size_t SturgesBins(double n) { return static_cast<std::size_t>(std::ceil(std::log2(n))) + 1; }

double PopulationStabilityIndex(const std::vector<double>& reference_counts,
                                const std::vector<double>& current_counts) {
  std::vector<double> r = Shares(reference_counts);
  std::vector<double> c = Shares(current_counts);
  FloorZeroShares(&r);
  FloorZeroShares(&c);
  double psi = 0;
  for (std::size_t i = 0; i < r.size(); ++i) psi += (r[i] - c[i]) * std::log(r[i] / c[i]);
  return psi;
}

double JensenShannonDistance(const std::vector<double>& p, const std::vector<double>& q) {
  std::vector<double> ps = Shares(p);
  std::vector<double> qs = Shares(q);
  double left = 0, right = 0;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const double m = (ps[i] + qs[i]) / 2;
    left += RelativeEntropy(ps[i], m);
    right += RelativeEntropy(qs[i], m);
  }
  return std::sqrt(std::max((left + right) / 2, 0.0));
}

double RegularizedGammaQ(double a, double x) {
  if (x <= 0) return 1.0;
  if (std::isinf(x)) return 0.0;
  const double log_prefix = a * std::log(x) - x - std::lgamma(a);
  if (x < a + 1) {
    // Series for P(a, x); Q = 1 - P.
    double term = 1.0 / a, sum = term;
    for (int n = 1; n < 100000; ++n) {
      term *= x / (a + n);
      sum += term;
      if (std::abs(term) < std::abs(sum) * 1e-17) break;
    }
    return std::clamp(1.0 - sum * std::exp(log_prefix), 0.0, 1.0);
  }
  // Lentz's continued fraction for Q(a, x).
  const double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 100000; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1) < 1e-16) break;
  }
  return std::clamp(std::exp(log_prefix) * h, 0.0, 1.0);
}

ChiSquareResult ChiSquareTest(const std::vector<double>& reference_counts,
                              const std::vector<double>& current_counts) {
  ChiSquareResult result;
  double reference_total = 0, current_total = 0;
  for (double c : reference_counts) reference_total += c;
  for (double c : current_counts) current_total += c;
  const double scale = current_total / reference_total;
  for (std::size_t i = 0; i < reference_counts.size(); ++i) {
    const double expected = reference_counts[i] * scale;
    const double diff = current_counts[i] - expected;
    if (expected == 0) {
      if (diff != 0) result.statistic = std::numeric_limits<double>::infinity();
      continue;
    }
    result.statistic += diff * diff / expected;
  }
  if (reference_counts.size() <= 1) return result;
  result.degrees_of_freedom = reference_counts.size() - 1;
  result.p_value =
      RegularizedGammaQ(static_cast<double>(result.degrees_of_freedom) / 2, result.statistic / 2);
  return result;
}

double ProportionsZTestPValue(double reference_first, double reference_total, double current_first,
                              double current_total) {
  const bool reference_single = reference_first == 0 || reference_first == reference_total;
  const bool current_single = current_first == 0 || current_first == current_total;
  if (reference_single && current_single && (reference_first == 0) == (current_first == 0)) {
    return 1.0;
  }
  // Proportions of "not the first category", as Evidently codes the first as 0.
  const double p1 = (reference_total - reference_first) / reference_total;
  const double p2 = (current_total - current_first) / current_total;
  const double pooled =
      (p1 * reference_total + p2 * current_total) / (reference_total + current_total);
  const double z =
      (p1 - p2) / std::sqrt(pooled * (1 - pooled) * (1.0 / reference_total + 1.0 / current_total));
  const double cdf = 0.5 * std::erfc(-std::abs(z) / std::numbers::sqrt2);
  return 2 * (1 - cdf);
}

}  // namespace modelgate::gates
