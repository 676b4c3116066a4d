#include "gates/robustness_case_generator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace modelgate::gates {
namespace {

using ::testing::Contains;
using ::testing::Not;

FeatureSpec Numeric(std::string name, bool nullable, std::optional<double> min = std::nullopt,
                    std::optional<double> max = std::nullopt) {
  FeatureSpec feature;
  feature.name = std::move(name);
  feature.nullable = nullable;
  feature.min = min;
  feature.max = max;
  return feature;
}

FeatureSpec OfType(std::string name, FeatureType type) {
  FeatureSpec feature;
  feature.name = std::move(name);
  feature.type = type;
  if (type == FeatureType::kCategorical) feature.categories = {"red", "blue"};
  return feature;
}

std::vector<std::string> Names(const std::vector<RobustnessCase>& cases) {
  std::vector<std::string> names;
  for (const auto& c : cases) names.push_back(c.name);
  return names;
}

const RobustnessCase& Find(const std::vector<RobustnessCase>& cases, const std::string& name) {
  for (const auto& c : cases) {
    if (c.name == name) return c;
  }
  ADD_FAILURE() << "no case " << name;
  return cases.front();
}

TEST(RobustnessCaseGeneratorTest, StartsWithTheBaseRowAsControl) {
  auto cases = GenerateRobustnessCases({Numeric("age", false)}, {42.0});
  ASSERT_FALSE(cases.empty());
  EXPECT_EQ(cases[0].name, "base row");
  EXPECT_EQ(std::get<double>(cases[0].input.rows[0][0]), 42.0);
}

TEST(RobustnessCaseGeneratorTest, NullOnlyInNullableFeatures) {
  auto cases = GenerateRobustnessCases({Numeric("age", true), Numeric("income", false)}, {});
  auto names = Names(cases);
  EXPECT_THAT(names, Contains("null in age"));
  EXPECT_THAT(names, Not(Contains("null in income")));
  const auto& null_case = Find(cases, "null in age");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(null_case.input.rows[0][0]));
  EXPECT_FALSE(std::holds_alternative<std::monostate>(null_case.input.rows[0][1]));
}

TEST(RobustnessCaseGeneratorTest, NumbersOnlyWhereTheRangeAllowsThem) {
  auto cases =
      GenerateRobustnessCases({Numeric("unbounded", true), Numeric("rate", false, 0.5, 1.0)}, {});
  auto names = Names(cases);
  EXPECT_THAT(names, Contains("zero in unbounded"));
  EXPECT_THAT(names, Contains("negative number in unbounded"));
  EXPECT_THAT(names, Contains("huge number in unbounded"));
  EXPECT_THAT(names, Contains("NaN in unbounded"));
  EXPECT_THAT(names, Not(Contains("zero in rate")));
  EXPECT_THAT(names, Not(Contains("negative number in rate")));
  EXPECT_THAT(names, Not(Contains("huge number in rate")));
  EXPECT_THAT(names, Not(Contains("NaN in rate")));
  EXPECT_TRUE(std::isnan(std::get<double>(Find(cases, "NaN in unbounded").input.rows[0][0])));
}

TEST(RobustnessCaseGeneratorTest, UnseenLevelMayBeHandledOrRejected) {
  auto cases = GenerateRobustnessCases({OfType("color", FeatureType::kCategorical)}, {});
  const auto& unseen = Find(cases, "unseen level in color");
  EXPECT_EQ(unseen.expect, CaseExpectation::kHandled);
  const auto& level = std::get<std::string>(unseen.input.rows[0][0]);
  EXPECT_NE(level, "red");
  EXPECT_NE(level, "blue");
  EXPECT_EQ(std::get<std::string>(cases[0].input.rows[0][0]), "red");
}

TEST(RobustnessCaseGeneratorTest, TextEdges) {
  auto cases = GenerateRobustnessCases({OfType("review", FeatureType::kText)}, {});
  EXPECT_EQ(std::get<std::string>(Find(cases, "empty text in review").input.rows[0][0]), "");
  EXPECT_EQ(
      std::get<std::string>(Find(cases, "one-character text in review").input.rows[0][0]).size(),
      1u);
  EXPECT_EQ(
      std::get<std::string>(Find(cases, "10000-character text in review").input.rows[0][0]).size(),
      10000u);
  const auto& text =
      std::get<std::string>(Find(cases, "non-ASCII text in review").input.rows[0][0]);
  EXPECT_TRUE(std::any_of(text.begin(), text.end(),
                          [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
}

TEST(RobustnessCaseGeneratorTest, OtherImageSizesKeepChannels) {
  CaseGenerationOptions options;
  options.image_shape = {32, 32, 3};
  auto cases = GenerateRobustnessCases({OfType("photo", FeatureType::kImage)}, {}, options);
  const auto& half =
      std::get<FeatureTensor>(Find(cases, "half-size image in photo").input.rows[0][0]);
  EXPECT_EQ(half.shape, (std::vector<std::size_t>{16, 16, 3}));
  EXPECT_EQ(half.data.size(), 16u * 16u * 3u);
  const auto& twice =
      std::get<FeatureTensor>(Find(cases, "double-size image in photo").input.rows[0][0]);
  EXPECT_EQ(twice.shape, (std::vector<std::size_t>{64, 64, 3}));
  EXPECT_EQ(std::get<FeatureTensor>(cases[0].input.rows[0][0]).shape, options.image_shape);
}

TEST(RobustnessCaseGeneratorTest, SynthesisedBaseRowRespectsRanges) {
  auto cases = GenerateRobustnessCases({Numeric("rate", false, 0.5, 1.0)}, {});
  EXPECT_EQ(std::get<double>(cases[0].input.rows[0][0]), 0.75);
}

TEST(RobustnessCaseTest, AlignToSchemaOrdersColumnsAndFillsNulls) {
  RobustnessCase c;
  c.input.columns = {"b", "extra", "a"};
  c.input.rows = {{2.0, std::string("x"), 1.0}};
  AlignToSchema(c, {Numeric("a", false), Numeric("b", false), Numeric("c", true)});
  EXPECT_EQ(c.input.columns, (std::vector<std::string>{"a", "b", "c", "extra"}));
  EXPECT_EQ(std::get<double>(c.input.rows[0][0]), 1.0);
  EXPECT_EQ(std::get<double>(c.input.rows[0][1]), 2.0);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(c.input.rows[0][2]));
}

}  // namespace
}  // namespace modelgate::gates
