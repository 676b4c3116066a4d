#include "gates/radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace modelgate::gates {
namespace {

std::vector<double> Sorted(std::vector<double> values) {
  std::vector<std::uint64_t> scratch;
  RadixSortDoubles(&values, &scratch);
  return values;
}

TEST(RadixSortTest, OrdersNegativesZerosAndInfinitiesAsStdSort) {
  const double inf = std::numeric_limits<double>::infinity();
  const double tiny = std::numeric_limits<double>::denorm_min();
  std::vector<double> values = {3.5, -inf, 0.0, -2.25, inf, -tiny, 1e300, tiny, -1e300, 2.0};
  std::vector<double> expected = values;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Sorted(values), expected);
}

TEST(RadixSortTest, PutsNegativeZeroBeforePositiveZero) {
  std::vector<double> sorted = Sorted({0.0, -0.0, 0.0, -0.0});
  EXPECT_TRUE(std::signbit(sorted[0]));
  EXPECT_TRUE(std::signbit(sorted[1]));
  EXPECT_FALSE(std::signbit(sorted[2]));
  EXPECT_FALSE(std::signbit(sorted[3]));
}

TEST(RadixSortTest, MatchesStdSortOnRandomValuesWithTies) {
  std::uint64_t x = 12345;
  for (std::size_t n : {0u, 1u, 2u, 17u, 2048u, 10000u}) {
    std::vector<double> values;
    for (std::size_t i = 0; i < n; ++i) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      // Few distinct values of both signs and many magnitudes, so every byte position varies.
      values.push_back(static_cast<double>(static_cast<std::int64_t>(x >> 40) % 2001 - 1000) *
                       std::pow(10.0, static_cast<double>((x >> 20) % 9) - 4));
    }
    std::vector<double> expected = values;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(Sorted(values), expected) << "n=" << n;
  }
}

TEST(RadixSortTest, LeavesEqualKeysAlone) {
  EXPECT_EQ(Sorted({7.0, 7.0, 7.0}), (std::vector<double>{7.0, 7.0, 7.0}));
}

}  // namespace
}  // namespace modelgate::gates
