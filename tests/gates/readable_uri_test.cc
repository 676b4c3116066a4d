#include "gates/readable_uri.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace modelgate::gates {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

ModelVersionSpec SpecWithDatasets() {
  ModelVersionSpec spec;
  spec.datasets.training = Dataset{"s3://data/train.csv"};
  spec.datasets.holdout = Dataset{"https://data.example.com/holdout.csv"};
  spec.datasets.reference = Dataset{"file:///data/reference.csv"};
  return spec;
}

TEST(ReadableUriTest, ReadsPathsAndFileHttpHttpsAndS3) {
  for (const char* uri : {"/data/x.csv", "relative.csv", "file:///x.csv", "http://h/x.csv",
                          "https://h/x.csv", "s3://bucket/x.csv"}) {
    EXPECT_TRUE(CheckReadableUri(uri).ok()) << uri;
  }
}

TEST(ReadableUriTest, RefusesGsNamingTheSchemeAndWhatIsRead) {
  Status status = CheckReadableUri("gs://bucket/train.csv");
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(status.message(), StartsWith("gs://bucket/train.csv: the gates cannot read gs://"));
  EXPECT_THAT(status.message(), HasSubstr("file://, http://, https:// and s3://"));
}

TEST(ReadableUriTest, RefusesPvcSayingValidationJobsMountNoClaim) {
  Status status = CheckReadableUri("pvc://datasets/train.csv");
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("pvc://datasets/train.csv: the gates cannot read pvc://"));
  EXPECT_THAT(status.message(), HasSubstr("mount no PersistentVolumeClaim"));
}

TEST(ReadableUriTest, RefusalLeavesCredentialsOut) {
  Status status = CheckReadableUri("ftp://user:secret@host/x.csv");
  EXPECT_THAT(status.message(), StartsWith("ftp://host/x.csv: unsupported scheme \"ftp\""));
  EXPECT_THAT(status.message(), ::testing::Not(HasSubstr("secret")));
}

TEST(ReadableUriTest, GateInputsOfReadableSchemesPass) {
  const ModelVersionSpec spec = SpecWithDatasets();
  for (GateName gate : kAllGates)
    EXPECT_TRUE(CheckGateInputUris(spec, gate).ok()) << ToString(gate);
}

TEST(ReadableUriTest, DataGateNamesTheFieldOfAnUnreadableTrainingSet) {
  ModelVersionSpec spec = SpecWithDatasets();
  spec.datasets.training->uri = "gs://bucket/train.csv";
  EXPECT_THAT(CheckGateInputUris(spec, GateName::kData).message(),
              StartsWith("spec.datasets.training.uri: gs://bucket/train.csv: the gates cannot "
                         "read gs://"));
}

TEST(ReadableUriTest, QualityGateChecksTheTrainingHistory) {
  ModelVersionSpec spec = SpecWithDatasets();
  spec.datasets.training_history = Dataset{"pvc://runs/history.csv"};
  EXPECT_THAT(CheckGateInputUris(spec, GateName::kQuality).message(),
              StartsWith("spec.datasets.trainingHistory.uri: pvc://runs/history.csv"));
}

TEST(ReadableUriTest, RobustnessGateChecksTheUserCases) {
  ModelVersionSpec spec = SpecWithDatasets();
  spec.gates.robustness.cases = RobustnessCases{"gs://bucket/cases.jsonl"};
  EXPECT_THAT(CheckGateInputUris(spec, GateName::kRobustness).message(),
              StartsWith("spec.gates.robustness.cases.uri: gs://bucket/cases.jsonl"));
}

TEST(ReadableUriTest, ReferenceIsReadByEveryGateWhenFeaturesAreInferred) {
  ModelVersionSpec spec = SpecWithDatasets();
  spec.datasets.reference->uri = "gs://bucket/reference.csv";
  EXPECT_THAT(CheckGateInputUris(spec, GateName::kStress).message(),
              StartsWith("spec.datasets.reference.uri: gs://bucket/reference.csv"));
}

TEST(ReadableUriTest, GatesThatDoNotReadADatasetIgnoreItsScheme) {
  ModelVersionSpec spec = SpecWithDatasets();
  FeatureSpec age;
  age.name = "age";
  spec.schema.emplace();
  spec.schema->target = "target";
  spec.schema->features = {age};
  spec.datasets.training->uri = "gs://bucket/train.csv";
  spec.datasets.reference->uri = "gs://bucket/reference.csv";
  EXPECT_TRUE(CheckGateInputUris(spec, GateName::kStress).ok());
  EXPECT_TRUE(CheckGateInputUris(spec, GateName::kRobustness).ok());
}

}  // namespace
}  // namespace modelgate::gates
