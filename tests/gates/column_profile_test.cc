#include "gates/column_profile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "gates/csv_reader.h"

namespace modelgate::gates {
namespace {

DatasetProfile Profile(const std::string& csv, const ProfileOptions& options = {}) {
  auto reader = CsvReader::Open(MemoryByteSource(csv, "d.csv"));
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  auto profile = ProfileDataset(**reader, "d.csv", options);
  EXPECT_TRUE(profile.ok()) << profile.status().ToString();
  return *profile;
}

TEST(ColumnProfileTest, InfersNumericWhenEveryNonNullValueIsANumber) {
  DatasetProfile p = Profile("n,c\n1,a\nNA,b\n2.5,3\n,null\n");
  EXPECT_TRUE(p.Find("n")->numeric());
  EXPECT_FALSE(p.Find("c")->numeric());
  EXPECT_EQ(p.rows, 4);
}

TEST(ColumnProfileTest, CountsNullsAndNullRate) {
  // A blank line is skipped (as pandas does); a quoted empty field is a null.
  DatasetProfile n_data = Profile("n\n1\nNA\n\"\"\n4\n");
  const ColumnProfile& n = *n_data.Find("n");
  EXPECT_EQ(n.nulls(), 2);
  EXPECT_DOUBLE_EQ(n.null_rate(), 0.5);
}

TEST(ColumnProfileTest, RemembersFirstNonNumericValueAndWhere) {
  DatasetProfile n_data = Profile("n\n1\n2\nabc\nxyz\n");
  const ColumnProfile& n = *n_data.Find("n");
  EXPECT_FALSE(n.numeric());
  EXPECT_EQ(n.first_non_numeric(), "abc");
  EXPECT_EQ(n.first_non_numeric_row(), 3);
  EXPECT_EQ(n.first_non_numeric_position(), "d.csv:4");
}

TEST(ColumnProfileTest, ComputesMomentsLikeNumpy) {
  DatasetProfile n_data = Profile("n\n2\n4\n4\n4\n5\n5\n7\n9\n");
  const ColumnProfile& n = *n_data.Find("n");
  EXPECT_DOUBLE_EQ(n.mean(), 5);
  EXPECT_DOUBLE_EQ(n.population_std(), 2);
  EXPECT_EQ(n.min(), 2);
  EXPECT_EQ(n.max(), 9);
}

TEST(ColumnProfileTest, SwitchesToSketchPastExactLimit) {
  ProfileOptions options;
  options.exact_value_limit = 100;
  std::string csv = "n\n";
  for (int i = 0; i < 5000; ++i) csv += std::to_string(i) + "\n";
  DatasetProfile n_data = Profile(csv, options);
  const ColumnProfile& n = *n_data.Find("n");
  EXPECT_FALSE(n.exact());
  EmpiricalDistribution d = n.NumericDistribution();
  EXPECT_EQ(d.total(), 5000);
  EXPECT_NEAR(d.Quantile(0.5), 2500, 5000 * QuantileSketch::RankErrorBound(options.sketch_k));
}

TEST(ColumnProfileTest, StopsCountingCategoriesPastBound) {
  ProfileOptions options;
  options.max_categories = 3;
  DatasetProfile c_data = Profile("c\na\nb\na\nc\n", options);
  const ColumnProfile& c = *c_data.Find("c");
  EXPECT_FALSE(c.categories_overflowed());
  EXPECT_EQ(c.categories().at("a"), 2);
  DatasetProfile many_data = Profile("c\na\nb\nc\nd\n", options);
  const ColumnProfile& many = *many_data.Find("c");
  EXPECT_TRUE(many.categories_overflowed());
  EXPECT_TRUE(many.categories().empty());
}

}  // namespace
}  // namespace modelgate::gates
