#include "gates/data_gate_spec.h"

#include <gtest/gtest.h>

namespace modelgate::gates {
namespace {

TEST(DataGateSpecTest, MapsThresholdsAndPerColumnOverrides) {
  DataGateSpec spec;
  spec.max_drift_share = 0.25;
  spec.method = modelgate::DriftMethod::kPsi;
  spec.threshold = 0.2;
  spec.columns.push_back({.name = "age", .method = modelgate::DriftMethod::kKs, .threshold = 0.01});
  spec.max_null_rate = 0.1;
  spec.fail_on_out_of_range = true;
  DataGateConfig config = DataGateConfigFromSpec(spec, std::nullopt);
  EXPECT_EQ(config.max_drift_share, 0.25);
  EXPECT_EQ(config.method, DriftMethod::kPsi);
  EXPECT_EQ(config.threshold, 0.2);
  EXPECT_EQ(config.column_drift.at("age").method, DriftMethod::kKs);
  EXPECT_EQ(config.column_drift.at("age").threshold, 0.01);
  EXPECT_EQ(config.max_null_rate, 0.1);
  EXPECT_TRUE(config.fail_on_out_of_range);
  EXPECT_TRUE(config.features.empty());
}

TEST(DataGateSpecTest, AutoMethodLeavesEvidentlyDefault) {
  EXPECT_FALSE(DataGateConfigFromSpec(DataGateSpec{}, std::nullopt).method.has_value());
}

TEST(DataGateSpecTest, MapsSchemaFeaturesAndExcludesTarget) {
  ModelSchema schema;
  schema.target = "label";
  FeatureSpec color;
  color.name = "color";
  color.type = FeatureType::kCategorical;
  color.nullable = true;
  color.categories = {"red", "blue"};
  FeatureSpec note;
  note.name = "note";
  note.type = FeatureType::kText;
  FeatureSpec age;
  age.name = "age";
  age.min = 0;
  age.max = 130;
  schema.features = {color, note, age};
  DataGateConfig config = DataGateConfigFromSpec(DataGateSpec{}, schema);
  ASSERT_EQ(config.features.size(), 3u);
  EXPECT_EQ(config.features[0].kind, FeatureRule::Kind::kCategorical);
  EXPECT_EQ(config.features[0].categories, (std::vector<std::string>{"red", "blue"}));
  EXPECT_TRUE(config.features[0].nullable);
  EXPECT_EQ(config.features[1].kind, FeatureRule::Kind::kOther);
  EXPECT_FALSE(config.features[2].nullable);
  EXPECT_EQ(config.features[2].max, 130);
  EXPECT_EQ(config.excluded_columns, (std::vector<std::string>{"label"}));
}

}  // namespace
}  // namespace modelgate::gates
