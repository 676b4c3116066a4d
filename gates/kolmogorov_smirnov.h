// The two-sample Kolmogorov–Smirnov test, with p-values as scipy.stats.ks_2samp computes
// them for alternative='two-sided', method='auto' (scipy 1.17):
//  - exact when max(n, m) <= 10000: the probability from lattice-path counting (Hodges;
//    the 1-p recursion of Viehmann, arXiv:2102.08037; the closed form when n == m);
//  - otherwise asymptotic: the one-sample Kolmogorov distribution's survival function at D
//    for round(n*m/(n+m)) observations, evaluated as scipy's kstwo.sf does (Simard &
//    L'Ecuyer 2011: Ruben–Gambino ends, Durbin matrix, Pelz–Good, and 2×Smirnov's exact
//    one-sided tail), except that Pomeranz's recursion, which scipy uses for n <= 140, is
//    replaced by the Durbin matrix that computes the same probability.
// If the exact computation cannot be carried out in double precision it falls back to the
// asymptotic one, as scipy does.
#pragma once

#include <cstdint>
#include <vector>

namespace modelgate::gates {

struct KsResult {
  double statistic = 0;  // D = sup |F1(x) - F2(x)|
  double p_value = 1;
  bool exact = false;  // which p-value method was used
};

// Runs the test on two samples.
// REQUIRES: both non-empty and free of NaN (callers drop nulls first).
KsResult KsTwoSample(std::vector<double> sample1, std::vector<double> sample2);

// The p-value for a statistic `d` computed elsewhere (for example from quantile sketches)
// with sample sizes n1 and n2, by the same rules as KsTwoSample.
// REQUIRES: n1 > 0, n2 > 0, 0 <= d <= 1.
KsResult KsPValue(double d, std::int64_t n1, std::int64_t n2);

// The survival function P(D_n >= x) of the one-sample two-sided Kolmogorov statistic
// (scipy.stats.kstwo.sf). REQUIRES: n >= 1.
double KolmogorovSurvival(std::int64_t n, double x);

// The one-sided Smirnov tail P(D_n^+ >= x) (scipy.special.smirnov). REQUIRES: n >= 1.
double SmirnovSurvival(std::int64_t n, double x);

}  // namespace modelgate::gates
