#include "gates/drift_histogram.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "gates/data_gate.h"
#include "tests/gates/test_vectors.h"

namespace modelgate::gates {
namespace {

using ::modelgate::gates::testing::LoadVectors;
using ::modelgate::gates::testing::Sample;

ColumnProfile NumericProfile(const std::vector<double>& values) {
  ColumnProfile profile;
  std::int64_t row = 0;
  for (double v : values) {
    char text[40];
    std::snprintf(text, sizeof(text), "%.17g", v);
    profile.Add(text, ++row);
  }
  return profile;
}

ColumnProfile CategoricalProfile(const std::vector<std::pair<std::string, int>>& counts) {
  ColumnProfile profile;
  std::int64_t row = 0;
  for (const auto& [value, count] : counts) {
    for (int i = 0; i < count; ++i) profile.Add(value, ++row);
  }
  return profile;
}

double Sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

TEST(DriftHistogramTest, NumericCountsMatchNumpyHistogramOverBothRanges) {
  const nlohmann::json vectors = LoadVectors("drift_histogram.json");
  for (const nlohmann::json& c : vectors["histograms"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto histogram =
        ComputeDriftHistogram(NumericProfile(Sample(c["reference"])),
                              NumericProfile(Sample(c["training"])), ColumnKind::kNumeric);
    ASSERT_TRUE(histogram.has_value());
    const auto edges = c["edges"].get<std::vector<double>>();
    ASSERT_EQ(histogram->edges.size(), edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i)
      EXPECT_NEAR(histogram->edges[i], edges[i], 1e-12);
    EXPECT_EQ(histogram->reference, c["referenceCounts"].get<std::vector<double>>());
    EXPECT_EQ(histogram->training, c["trainingCounts"].get<std::vector<double>>());
  }
}

TEST(DriftHistogramTest, SingleValueGetsOneUnitWideBin) {
  auto histogram =
      ComputeDriftHistogram(NumericProfile({3, 3}), NumericProfile({3}), ColumnKind::kNumeric);
  ASSERT_TRUE(histogram.has_value());
  EXPECT_EQ(histogram->edges.front(), 2.5);
  EXPECT_EQ(histogram->edges.back(), 3.5);
  EXPECT_EQ(Sum(histogram->reference), 2);
  EXPECT_EQ(Sum(histogram->training), 1);
}

TEST(DriftHistogramTest, CategoricalShowsMostFrequentFirstAndFoldsTheRestIntoOther) {
  std::vector<std::pair<std::string, int>> reference = {{"a", 50}, {"b", 30}};
  std::vector<std::pair<std::string, int>> training = {{"b", 40}, {"new", 5}};
  for (int i = 0; i < 25; ++i) training.push_back({"rare" + std::to_string(i), 1});
  auto histogram = ComputeDriftHistogram(CategoricalProfile(reference),
                                         CategoricalProfile(training), ColumnKind::kCategorical);
  ASSERT_TRUE(histogram.has_value());
  ASSERT_EQ(histogram->categories.size(), kMaxDriftHistogramCategories);
  EXPECT_EQ(histogram->categories[0], "b");
  EXPECT_EQ(histogram->categories[1], "a");
  EXPECT_EQ(histogram->categories[2], "new");
  EXPECT_EQ(histogram->reference[0], 30);
  EXPECT_EQ(histogram->training[0], 40);
  EXPECT_EQ(Sum(histogram->training) + histogram->training_other, 70);
  EXPECT_EQ(histogram->training_other, 8);  // 25 rare values, 17 of them shown
  EXPECT_EQ(histogram->reference_other, 0);
}

TEST(DriftHistogramTest, NoHistogramWithoutValuesOnASide) {
  EXPECT_FALSE(ComputeDriftHistogram(NumericProfile({1, 2}), ColumnProfile(), ColumnKind::kNumeric)
                   .has_value());
}

TEST(DriftHistogramTest, JsonRoundTrips) {
  auto numeric = ComputeDriftHistogram(NumericProfile({1, 2, 5}), NumericProfile({2, 7}),
                                       ColumnKind::kNumeric);
  auto categorical = ComputeDriftHistogram(
      CategoricalProfile({{"x", 2}}), CategoricalProfile({{"y", 1}}), ColumnKind::kCategorical);
  for (const auto& h : {*numeric, *categorical}) {
    auto back = DriftHistogramFromJson(DriftHistogramJson(h));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->edges, h.edges);
    EXPECT_EQ(back->categories, h.categories);
    EXPECT_EQ(back->reference, h.reference);
    EXPECT_EQ(back->training, h.training);
  }
}

TEST(DriftHistogramTest, FromJsonRefusesBinsThatDisagreeNamingTheField) {
  auto parsed = DriftHistogramFromJson(nlohmann::json::parse(
      R"({"kind":"numeric","edges":[0,1],"reference":[1,2],"training":[1,2]})"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("histogram.edges"), std::string::npos);
}

TEST(DriftHistogramTest, FromJsonRefusesMoreBinsThanTheBound) {
  nlohmann::json json = {{"kind", "categorical"},
                         {"categories", std::vector<std::string>(1000, "c")},
                         {"reference", std::vector<double>(1000, 1)},
                         {"training", std::vector<double>(1000, 1)}};
  EXPECT_FALSE(DriftHistogramFromJson(json).ok());
}

TEST(DriftHistogramTest, FromJsonRefusesWrongTypes) {
  for (const char* text :
       {R"([])", R"({"kind":"pie"})",
        R"({"kind":"numeric","edges":[0,1],"reference":["1"],"training":[1]})",
        R"({"kind":"categorical","categories":[1],"reference":[1],"training":[1]})"}) {
    EXPECT_FALSE(DriftHistogramFromJson(nlohmann::json::parse(text)).ok()) << text;
  }
}

TEST(DriftHistogramTest, DataGateReportCarriesTheHistogramOfEachTestedFeature) {
  DatasetProfile reference{"reference.csv", {"x"}, {NumericProfile({1, 2, 3, 4})}};
  DatasetProfile training{"training.csv", {"x"}, {NumericProfile({3, 4, 5})}};
  GateResult result = EvaluateDataGate(reference, training, {});
  ASSERT_EQ(result.details["drift"].size(), 1u);
  auto histogram = DriftHistogramFromJson(result.details["drift"][0]["histogram"]);
  ASSERT_TRUE(histogram.ok()) << histogram.status().ToString();
  EXPECT_EQ(Sum(histogram->reference), 4);
  EXPECT_EQ(Sum(histogram->training), 3);
}

}  // namespace
}  // namespace modelgate::gates
