#include "gates/kolmogorov_smirnov.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <vector>

namespace modelgate::gates {
namespace {

constexpr std::int64_t kMaxExactSampleSize = 10000;  // scipy's MAX_AUTO_N
constexpr double kMinLog = -708.3964185322641;       // log of the smallest normal double

double Clip01(double p) { return std::clamp(p, 0.0, 1.0); }

// P(D_{n,n} >= h/n), by the alternating sum of binomial ratios in Horner form.
double ProbOutsideSquare(std::int64_t n, std::int64_t h) {
  double p = 0.0;
  for (std::int64_t k = n / h; k >= 0; --k) {
    double term = 1.0;
    for (std::int64_t j = 0; j < h; ++j) {
      term = static_cast<double>(n - k * h - j) * term / static_cast<double>(n + k * h + j + 1);
    }
    p = term * (1.0 - p);
  }
  return 2 * p;
}

// The share of lattice paths from (0,0) to (m,n) that leave the band |x/m - y/n| < h/lcm,
// i.e. P(D >= h/lcm), computed directly as 1-p to avoid cancellation (Viehmann 2021).
// Returns NaN when the recursion cannot proceed (the caller falls back to asymptotics).
double ProbOutsideBand(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h) {
  if (m < n) std::swap(m, n);
  const std::int64_t mg = m / g;
  const std::int64_t ng = n / g;
  std::int64_t minj = 0;
  std::int64_t maxj = std::min(static_cast<std::int64_t>(std::ceil(double(h) / double(mg))), n + 1);
  std::int64_t curlen = maxj - minj;
  const std::int64_t len = std::min(2 * maxj + 2, n + 1);
  std::vector<double> a(static_cast<std::size_t>(len), 1.0);
  for (std::int64_t j = minj; j < std::min(maxj, len); ++j) a[j] = 0.0;
  for (std::int64_t i = 1; i <= m; ++i) {
    const std::int64_t lastminj = minj;
    const std::int64_t lastlen = curlen;
    minj = std::max(static_cast<std::int64_t>(std::floor(double(ng * i - h) / double(mg))) + 1,
                    std::int64_t{0});
    minj = std::min(minj, n);
    maxj = std::min(static_cast<std::int64_t>(std::ceil(double(ng * i + h) / double(mg))), n + 1);
    if (maxj <= minj) return 1.0;
    double val = minj == 0 ? 0.0 : 1.0;
    for (std::int64_t jj = 0; jj < maxj - minj; ++jj) {
      const std::int64_t j = jj + minj;
      const std::int64_t src = jj + minj - lastminj;
      if (src < 0 || src >= len || jj >= len) return std::numeric_limits<double>::quiet_NaN();
      val = (a[src] * double(i) + val * double(j)) / double(i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    for (std::int64_t k = maxj - minj; k < std::min(maxj - minj + (lastlen - curlen), len); ++k) {
      a[k] = 1.0;
    }
  }
  return a[maxj - minj - 1];
}

// Kolmogorov's CDF P(D_n < d) by the Durbin matrix (Marsaglia, Tsang & Wang 2003), with the
// matrix power and the final n!/n^n scaled by powers of two to stay in range.
double KolmogorovCdfDurbin(std::int64_t n, double d) {
  if (d >= 1.0) return 1.0;
  const double nd = double(n) * d;
  if (nd <= 0.5) return 0.0;
  const int k = static_cast<int>(std::ceil(nd));
  const double h = k - nd;
  const int m = 2 * k - 1;
  std::vector<double> hm(static_cast<std::size_t>(m) * m, 0.0);
  auto at = [m](std::vector<double>& x, int r, int c) -> double& {
    return x[std::size_t(r) * m + c];
  };
  std::vector<double> v(m);
  std::vector<double> w(m);
  double fac = 1.0;
  for (int j = 1; j <= m; ++j) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1.0 - std::pow(h, j)) * fac;
  }
  const double tt = std::pow(std::max(2 * h - 1.0, 0.0), m) - 2 * std::pow(h, m);
  v[m - 1] = (1.0 + tt) * fac;
  for (int i = 1; i < m; ++i) {
    for (int r = i - 1; r < m; ++r) at(hm, r, i) = w[r - (i - 1)];
  }
  for (int r = 0; r < m; ++r) at(hm, r, 0) = v[r];
  for (int c = 0; c < m; ++c) at(hm, m - 1, c) = v[m - 1 - c];

  auto multiply = [m](const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<double> z(x.size(), 0.0);
    for (int r = 0; r < m; ++r) {
      for (int t = 0; t < m; ++t) {
        const double xrt = x[std::size_t(r) * m + t];
        if (xrt == 0.0) continue;
        for (int c = 0; c < m; ++c) z[std::size_t(r) * m + c] += xrt * y[std::size_t(t) * m + c];
      }
    }
    return z;
  };
  const double kScale = std::ldexp(1.0, 128);
  std::vector<double> power(static_cast<std::size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i) at(power, i, i) = 1.0;
  long exponent = 0;
  long h_exponent = 0;
  for (std::int64_t nn = n; nn > 0; nn /= 2) {
    if (nn % 2) {
      power = multiply(power, hm);
      exponent += h_exponent;
    }
    hm = multiply(hm, hm);
    h_exponent *= 2;
    if (std::abs(at(hm, k - 1, k - 1)) > kScale) {
      for (double& x : hm) x /= kScale;
      h_exponent += 128;
    }
  }
  double p = at(power, k - 1, k - 1);
  for (std::int64_t i = 1; i <= n; ++i) {
    p = double(i) * p / double(n);
    if (std::abs(p) < 1.0 / kScale) {
      p *= kScale;
      exponent -= 128;
    }
  }
  return std::ldexp(p, static_cast<int>(exponent));
}

// The Pelz–Good asymptotic series for P(D_n <= x).
double KolmogorovCdfPelzGood(std::int64_t n, double x) {
  using std::numbers::pi;
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double z = std::sqrt(double(n)) * x;
  const double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  const double qlog = -pi * pi / 8 / z2;
  if (qlog < -708) return 0.0;
  double q = std::exp(qlog);
  const double pi2 = pi * pi, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
  const double k1a = -z2, k1b = pi2 / 4;
  const double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4,
               k2c = pi4 * (1 - 2 * z2) / 16;
  const double k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16,
               k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * std::pow(z, 8);
  double kk[4] = {0, 0, 0, 0};
  const int maxk = static_cast<int>(std::ceil(16 * z / pi));
  for (int k = maxk; k >= 1; --k) {
    const double m = 2.0 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
    const double qpower = std::pow(q, 8.0 * k);
    const double coeffs[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                              k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (int i = 0; i < 4; ++i) kk[i] = kk[i] * qpower + coeffs[i];
  }
  const double sqrt2pi = std::sqrt(2 * pi);
  const double denominators[4] = {z, 6 * z4, 72 * std::pow(z, 7), 6480 * std::pow(z, 10)};
  for (int i = 0; i < 4; ++i) kk[i] = kk[i] * q * sqrt2pi / denominators[i];
  q = std::exp(-pi2 / 2 / z2);
  double k2extra = 0, k3extra = 0;
  const double sqrt3z = std::sqrt(3.0) * z;
  for (int k = maxk; k >= 1; --k) {
    const double k2 = double(k) * k;
    const double qp = std::pow(q, k2);
    k2extra += k2 * qp;
    k3extra += (sqrt3z + pi * k) * (sqrt3z - pi * k) * k2 * qp;
  }
  kk[2] += k2extra * pi2 * sqrt2pi / (-36 * z3);
  kk[3] += k3extra * pi2 * sqrt2pi / (216 * z6);
  double sum = 0;
  for (int i = 0; i < 4; ++i) sum += kk[i] / std::pow(double(n), i / 2.0);
  return sum;
}

// log(n! / n^n) by Stirling's series.
double LogFactorialOverPower(std::int64_t n) {
  static constexpr double kCoeffs[] = {-2.955065359477124183e-2,  6.4102564102564102564e-3,
                                       -1.9175269175269175269e-3, 8.4175084175084175084e-4,
                                       -5.952380952380952381e-4,  7.9365079365079365079e-4,
                                       -2.7777777777777777778e-3, 8.3333333333333333333e-2};
  const double rn = 1.0 / double(n);
  const double t = rn / double(n);
  double poly = 0;
  for (double c : kCoeffs) poly = poly * t + c;
  return std::log(double(n)) / 2 - double(n) + std::log(2 * std::numbers::pi) / 2 + rn * poly;
}

}  // namespace

double SmirnovSurvival(std::int64_t n, double x) {
  if (n == 1) return Clip01(1 - x);
  if (x <= 0.0) return 1.0;
  if (x >= 1.0) return 0.0;
  const double nx = double(n) * x;
  const double nx_floor = std::floor(nx);
  if (nx <= 1.0) return Clip01(1 - x * std::pow(1 + x, double(n - 1)));
  if (-2 * nx * x < kMinLog) return 0.0;
  if (nx_floor >= double(n - 1)) return Clip01(std::pow(1 - x, double(n)));
  if (n > 1000000) {
    const double logp = -std::pow(6.0 * nx + 1, 2) / 18.0 / double(n);
    return logp < -std::numbers::ln2 ? std::exp(logp) : 1 + std::expm1(logp);
  }
  // Birnbaum–Tingey: x * sum_j C(n,j) (1-x-j/n)^(n-j) (x+j/n)^(j-1), in logs; the terms
  // are unimodal in j, so the sum stops once they no longer matter.
  const std::int64_t last = static_cast<std::int64_t>(std::floor(double(n) * (1 - x)));
  const double log_n_fact = std::lgamma(double(n) + 1);
  double sum = 0;
  double peak = 0;
  for (std::int64_t j = 0; j <= last; ++j) {
    const double a = 1 - x - double(j) / double(n);
    if (a <= 0) break;
    const double log_term = log_n_fact - std::lgamma(double(j) + 1) -
                            std::lgamma(double(n - j) + 1) + double(n - j) * std::log(a) +
                            double(j - 1) * std::log(x + double(j) / double(n));
    const double term = std::exp(log_term);
    sum += term;
    peak = std::max(peak, term);
    if (term < peak && term * double(last - j + 1) < sum * 1e-17) break;
  }
  return Clip01(x * sum);
}

double KolmogorovSurvival(std::int64_t n, double x) {
  if (x >= 1.0) return 0.0;
  if (x <= 0.0) return 1.0;
  const double t = double(n) * x;
  if (t <= 1.0) {
    if (t <= 0.5) return 1.0;
    double prob;
    if (n <= 140) {
      prob = 1.0;
      for (std::int64_t i = 1; i <= n; ++i) prob *= double(i) * (1.0 / double(n)) * (2 * t - 1);
    } else {
      prob = std::exp(LogFactorialOverPower(n) + double(n) * std::log(2 * t - 1));
    }
    return Clip01(1.0 - prob);
  }
  if (t >= double(n - 1)) return Clip01(2 * std::pow(1.0 - x, double(n)));
  if (x >= 0.5) return Clip01(2 * SmirnovSurvival(n, x));
  const double nxsquared = t * x;
  if (n <= 140) {
    if (nxsquared <= 4) return Clip01(1.0 - KolmogorovCdfDurbin(n, x));
    return Clip01(2 * SmirnovSurvival(n, x));
  }
  if (nxsquared >= 370.0) return 0.0;
  if (nxsquared >= 2.2) return Clip01(2 * SmirnovSurvival(n, x));
  double cdf;
  if (n <= 100000 && double(n) * std::pow(x, 1.5) <= 1.4) {
    cdf = KolmogorovCdfDurbin(n, x);
  } else {
    cdf = KolmogorovCdfPelzGood(n, x);
  }
  return Clip01(1.0 - cdf);
}

KsResult KsPValue(double d, std::int64_t n1, std::int64_t n2) {
  KsResult result;
  result.statistic = d;
  if (std::max(n1, n2) <= kMaxExactSampleSize) {
    const std::int64_t g = std::gcd(n1, n2);
    const std::int64_t lcm = (n1 / g) * n2;
    // Round half to even, as numpy does, so D lands on the lattice exactly.
    const auto h = static_cast<std::int64_t>(std::nearbyint(d * double(lcm)));
    const double lattice_d = double(h) / double(lcm);
    double p = 1.0;
    if (h != 0) p = n1 == n2 ? ProbOutsideSquare(n1, h) : ProbOutsideBand(n1, n2, g, h);
    if (std::isfinite(p) && p >= 0.0 && p <= 1.0) {
      result.statistic = lattice_d;
      result.p_value = p;
      result.exact = true;
      return result;
    }
    result.statistic = lattice_d;
  }
  const double m = double(std::max(n1, n2));
  const double n = double(std::min(n1, n2));
  const auto en = static_cast<std::int64_t>(std::nearbyint(m * n / (m + n)));
  result.p_value = Clip01(KolmogorovSurvival(std::max<std::int64_t>(en, 1), result.statistic));
  result.exact = false;
  return result;
}

KsResult KsTwoSample(std::vector<double> sample1, std::vector<double> sample2) {
  std::sort(sample1.begin(), sample1.end());
  std::sort(sample2.begin(), sample2.end());
  const std::size_t n1 = sample1.size();
  const std::size_t n2 = sample2.size();
  double d = 0;
  std::size_t i = 0, j = 0;
  while (i < n1 && j < n2) {
    const double v = std::min(sample1[i], sample2[j]);
    while (i < n1 && sample1[i] <= v) ++i;
    while (j < n2 && sample2[j] <= v) ++j;
    d = std::max(d, std::abs(double(i) / double(n1) - double(j) / double(n2)));
  }
  return KsPValue(d, static_cast<std::int64_t>(n1), static_cast<std::int64_t>(n2));
}

}  // namespace modelgate::gates
