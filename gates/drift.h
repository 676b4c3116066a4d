// Drift statistics between a reference distribution and a current one.
//
// Pure functions, each matching the reference implementation named in its comment, so a
// verdict here agrees with what a data scientist gets from scipy or Evidently. Numeric
// columns come as EmpiricalDistributions (exact or sketched); categorical ones as count
// vectors aligned by category (index i is the same category in both).
#pragma once

#include <cstddef>
#include <vector>

#include "gates/empirical_distribution.h"

namespace modelgate::gates {

// sup |F_ref(x) - F_cur(x)| over the support (scipy.stats.ks_2samp's statistic).
// REQUIRES: neither empty.
double KsStatistic(const EmpiricalDistribution& reference, const EmpiricalDistribution& current);

// The first Wasserstein distance, the integral of |F_ref - F_cur|
// (scipy.stats.wasserstein_distance). REQUIRES: neither empty.
double WassersteinDistance(const EmpiricalDistribution& reference,
                           const EmpiricalDistribution& current);

// Wasserstein distance divided by max(population std of the reference, 0.001), as
// Evidently's "wasserstein" test. `reference_std` is np.std(reference) (ddof=0).
double NormedWassersteinDistance(const EmpiricalDistribution& reference,
                                 const EmpiricalDistribution& current, double reference_std);

// The 9 inner decile edges of the reference (numpy.quantile, linear) for PSI bins.
// REQUIRES: !reference.empty().
std::vector<double> DecileEdges(const EmpiricalDistribution& reference);

// Counts in len(edges)+1 bins: bin 0 is x < edges[0], bin i is edges[i-1] <= x < edges[i],
// the last is x >= edges.back() (numpy.searchsorted(edges, x, side='right')). Repeated
// edges make empty bins. REQUIRES: edges ascending.
std::vector<double> BinCounts(const EmpiricalDistribution& d, const std::vector<double>& edges);

// numpy.histogram counts over `bins` equal-width bins spanning [low, high]; the last bin is
// closed. When low == high the range is widened to [low-0.5, high+0.5] as numpy does.
std::vector<double> HistogramCounts(const EmpiricalDistribution& d, double low, double high,
                                    std::size_t bins);

// The number of bins numpy's 'sturges' rule picks for n values: ceil(log2(n)) + 1.
// REQUIRES: n >= 1.
std::size_t SturgesBins(double n);

// Population stability index sum((r - c) * ln(r / c)) over bin shares. Zero shares are
// floored as Evidently does: to min(non-zero share)/1e6 when that minimum is <= 1e-4,
// else to 1e-4, separately for each side. REQUIRES: equal sizes, both sums > 0.
double PopulationStabilityIndex(const std::vector<double>& reference_counts,
                                const std::vector<double>& current_counts);

// scipy.spatial.distance.jensenshannon(p, q) with the natural logarithm: the square root of
// the Jensen–Shannon divergence of the normalised vectors. REQUIRES: equal sizes, sums > 0.
double JensenShannonDistance(const std::vector<double>& p, const std::vector<double>& q);

struct ChiSquareResult {
  double statistic = 0;
  double p_value = 1;
  std::size_t degrees_of_freedom = 0;
};

// Evidently's "chisquare" test: scipy.stats.chisquare(f_obs = current counts,
// f_exp = reference counts scaled to the current total). A category seen now but never in
// the reference gives an infinite statistic and p = 0. With a single category the test has
// no degrees of freedom and p = 1 (scipy returns NaN, which Evidently reads as "no drift").
// REQUIRES: equal sizes, both sums > 0.
ChiSquareResult ChiSquareTest(const std::vector<double>& reference_counts,
                              const std::vector<double>& current_counts);

// Evidently's "z" test for a two-valued column: the two-sided p-value of the difference of
// proportions of the first category (in sorted order) between reference and current.
// Returns 1 when both sides hold the same single value.
// REQUIRES: reference_total > 0, current_total > 0.
double ProportionsZTestPValue(double reference_first, double reference_total, double current_first,
                              double current_total);

// Q(a, x): the regularised upper incomplete gamma function (chi2.sf(s, k) = Q(k/2, s/2)).
// REQUIRES: a > 0, x >= 0.
double RegularizedGammaQ(double a, double x);

}  // namespace modelgate::gates
