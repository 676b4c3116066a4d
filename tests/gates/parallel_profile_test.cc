#include "gates/parallel_profile.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "gates/byte_source.h"
#include "gates/column_profile.h"
#include "gates/dataset.h"

namespace modelgate::gates {
namespace {

// 12,000 rows over several batches: a numeric column past the exact limit (so it is
// sketched), one with ties, nulls, a categorical one, a quoted field with an embedded
// newline (so lines and rows differ) and a word in a numeric column at row 9,001.
std::string MixedCsv() {
  std::string csv = "x,count,maybe,color,note\n";
  std::uint64_t state = 42;
  for (int row = 1; row <= 12000; ++row) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double x = static_cast<double>(state >> 40) / 1e4 - 500;
    csv += std::to_string(x) + "," + std::to_string((state >> 20) % 7) + ",";
    csv += row % 10 == 0 ? "" : (row == 9001 ? "oops" : std::to_string(row % 97));
    csv += std::string(",") + "rgb"[(state >> 30) % 3] + ",";
    csv += row == 3 ? "\"two\nlines\"\n" : "plain\n";
  }
  return csv;
}

Result<DatasetProfile> Profile(const std::string& csv, int threads) {
  auto rows = OpenDataset(MemoryByteSource(csv, "mixed.csv"), DatasetFormat::kCsv);
  EXPECT_TRUE(rows.ok());
  ProfileOptions options;
  options.exact_value_limit = 5000;
  options.threads = threads;
  return ProfileDataset(**rows, "mixed.csv", options);
}

void ExpectSameColumn(const ColumnProfile& a, const ColumnProfile& b, const std::string& name) {
  SCOPED_TRACE(name);
  EXPECT_EQ(a.rows(), b.rows());
  EXPECT_EQ(a.nulls(), b.nulls());
  EXPECT_EQ(a.numeric_count(), b.numeric_count());
  EXPECT_EQ(a.non_numeric_count(), b.non_numeric_count());
  EXPECT_EQ(a.first_non_numeric(), b.first_non_numeric());
  EXPECT_EQ(a.first_non_numeric_row(), b.first_non_numeric_row());
  EXPECT_EQ(a.first_non_numeric_position(), b.first_non_numeric_position());
  EXPECT_EQ(a.exact(), b.exact());
  EXPECT_EQ(a.categories_overflowed(), b.categories_overflowed());
  EXPECT_EQ(a.categories(), b.categories());
  if (a.numeric_count() > 0) {
    EXPECT_EQ(a.min(), b.min());
    EXPECT_EQ(a.max(), b.max());
    EXPECT_EQ(a.mean(), b.mean());
    EXPECT_EQ(a.population_std(), b.population_std());
    EXPECT_EQ(a.NumericDistribution().values(), b.NumericDistribution().values());
    EXPECT_EQ(a.NumericDistribution().cumulative(), b.NumericDistribution().cumulative());
  }
}

TEST(ParallelProfileTest, GivesTheSameProfileAsOneThreadSketchesIncluded) {
  const std::string csv = MixedCsv();
  Result<DatasetProfile> one = Profile(csv, 1);
  Result<DatasetProfile> three = Profile(csv, 3);
  ASSERT_TRUE(one.ok()) << one.status().message();
  ASSERT_TRUE(three.ok()) << three.status().message();
  EXPECT_EQ(three->rows, 12000);
  EXPECT_EQ(three->rows, one->rows);
  ASSERT_EQ(three->columns, one->columns);
  EXPECT_FALSE(three->Find("x")->exact());
  for (std::size_t c = 0; c < one->columns.size(); ++c) {
    ExpectSameColumn(one->profiles[c], three->profiles[c], one->columns[c]);
  }
}

TEST(ParallelProfileTest, NamesTheLineOfTheFirstNonNumericValueInALaterBatch) {
  Result<DatasetProfile> profile = Profile(MixedCsv(), 2);
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  const ColumnProfile* maybe = profile->Find("maybe");
  EXPECT_EQ(maybe->first_non_numeric(), "oops");
  EXPECT_EQ(maybe->first_non_numeric_row(), 9001);
  // Row 9,001 is on line 9,003: the header and the embedded newline of row 3 come first.
  EXPECT_EQ(maybe->first_non_numeric_position(), "mixed.csv:9003");
}

TEST(ParallelProfileTest, ReturnsTheReadersErrorWithItsPosition) {
  std::string csv = MixedCsv();
  csv += "1,2,3\n";
  Result<DatasetProfile> one = Profile(csv, 1);
  Result<DatasetProfile> two = Profile(csv, 2);
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().message(), one.status().message());
  EXPECT_NE(two.status().message().find("mixed.csv:12003:"), std::string::npos)
      << two.status().message();
}

TEST(ParallelProfileTest, ProfilesAnEmptyBody) {
  auto rows = OpenDataset(MemoryByteSource("a,b\n", "empty.csv"), DatasetFormat::kCsv);
  ASSERT_TRUE(rows.ok());
  Result<DatasetProfile> profile = ProfileDatasetInParallel(**rows, "empty.csv", {}, 2);
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->rows, 0);
  EXPECT_EQ(profile->profiles.size(), 2u);
}

TEST(ParallelProfileTest, ReadsCpuLimitsFromCgroups) {
  EXPECT_EQ(CgroupCpuLimit("max 100000\n", "", ""), std::nullopt);
  EXPECT_EQ(CgroupCpuLimit("200000 100000\n", "", ""), 2);
  EXPECT_EQ(CgroupCpuLimit("150000 100000", "", ""), 1);
  EXPECT_EQ(CgroupCpuLimit("50000 100000", "", ""), 1);
  EXPECT_EQ(CgroupCpuLimit("", "-1\n", "100000\n"), std::nullopt);
  EXPECT_EQ(CgroupCpuLimit("", "300000\n", "100000\n"), 3);
  EXPECT_EQ(CgroupCpuLimit("", "", ""), std::nullopt);
  EXPECT_EQ(CgroupCpuLimit("garbage", "", ""), std::nullopt);
}

TEST(ParallelProfileTest, UsesTheConfiguredThreadCount) {
  ProfileOptions options;
  options.threads = 3;
  EXPECT_EQ(ProfileThreads(options), 3);
  options.threads = 0;
  EXPECT_GE(ProfileThreads(options), 1);
  EXPECT_LE(ProfileThreads(options), 4);
}

}  // namespace
}  // namespace modelgate::gates
