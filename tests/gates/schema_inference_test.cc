#include "gates/schema_inference.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gates/csv_reader.h"

namespace modelgate::gates {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

DatasetProfile Profile(const std::string& csv) {
  auto reader = CsvReader::Open(MemoryByteSource(csv, "reference.csv"));
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  auto profile = ProfileDataset(**reader, "reference.csv");
  EXPECT_TRUE(profile.ok()) << profile.status().ToString();
  return std::move(profile).value();
}

TEST(SchemaInferenceTest, TypesFeaturesFromTheReference) {
  ModelSchema schema = InferSchema(Profile("age,city,income,target\n"
                                           "31,Oslo,,0\n"
                                           "45,Bergen,5.5,1\n"
                                           "52,Oslo,7.25,1\n"))
                           .value();
  EXPECT_EQ(schema.target, "target");
  EXPECT_EQ(schema.task, ModelTask::kClassification);
  ASSERT_EQ(schema.features.size(), 3u);
  EXPECT_EQ(schema.features[0].type, FeatureType::kNumeric);
  EXPECT_FALSE(schema.features[0].nullable);
  EXPECT_EQ(schema.features[1].type, FeatureType::kCategorical);
  EXPECT_THAT(schema.features[1].categories, ElementsAre("Bergen", "Oslo"));
  EXPECT_TRUE(schema.features[2].nullable);
}

TEST(SchemaInferenceTest, FractionalTargetMeansRegression) {
  ModelSchema schema = InferSchema(Profile("x,y\n1,0.5\n2,1.5\n")).value();
  EXPECT_EQ(schema.target, "y");
  EXPECT_EQ(schema.task, ModelTask::kRegression);
}

TEST(SchemaInferenceTest, NamedTargetMustExist) {
  SchemaInferenceOptions options;
  options.target = "label";
  auto schema = InferSchema(Profile("x,y\n1,0\n"), options);
  ASSERT_FALSE(schema.ok());
  EXPECT_THAT(schema.status().message(), HasSubstr("reference.csv: no target column \"label\""));
}

}  // namespace
}  // namespace modelgate::gates
