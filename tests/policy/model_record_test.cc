#include "policy/model_record.h"

#include <gtest/gtest.h>

#include <memory_resource>

#include "tests/policy/policy_fixtures.h"

namespace modelgate::policy {
namespace {

using testing::PassedModel;

TEST(ModelRecordTest, KeepsWhatAdmissionReads) {
  ModelVersion mv = PassedModel("ml", "fraud");
  mv.metadata.generation = 3;
  mv.status.observed_generation = 2;
  mv.status.FindGate(GateName::kQuality)->metrics["auc"] = 0.91;
  mv.status.FindGate(GateName::kQuality)->message = "auc 0.91";
  const ModelRecord r = ModelRecord::From(mv);
  EXPECT_EQ(r.ns(), "ml");
  EXPECT_EQ(r.name(), "fraud");
  EXPECT_EQ(r.generation, 3);
  EXPECT_EQ(r.observed_generation, 2);
  EXPECT_EQ(r.phase, mv.status.phase);
  EXPECT_EQ(r.artifact_uri(), mv.spec.artifact.uri);
  EXPECT_EQ(r.validated_at, mv.status.validated_at);
  const ModelRecord::Gate* quality = r.FindGate(GateName::kQuality);
  ASSERT_NE(quality, nullptr);
  EXPECT_EQ(r.message(*quality), "auc 0.91");
  EXPECT_EQ(r.message(*r.FindGate(GateName::kData)), mv.status.FindGate(GateName::kData)->message);
  ASSERT_NE(r.FindMetric(*quality, "auc"), nullptr);
  EXPECT_EQ(*r.FindMetric(*quality, "auc"), 0.91);
  // A metric of another gate is not this gate's.
  EXPECT_EQ(r.FindMetric(*r.FindGate(GateName::kData), "auc"), nullptr);
}

TEST(ModelRecordTest, ValidatedDigestIsStoredOnlyWhenItDiffers) {
  ModelVersion mv = PassedModel("ml", "fraud");
  const ModelRecord same = ModelRecord::From(mv);
  EXPECT_TRUE(same.validated_digest_is_artifact_digest());
  EXPECT_EQ(same.validated_digest(), *mv.spec.artifact.digest);
  mv.status.validated_digest = "sha256:" + std::string(64, 'e');
  const ModelRecord other = ModelRecord::From(mv);
  EXPECT_FALSE(other.validated_digest_is_artifact_digest());
  EXPECT_EQ(other.validated_digest(), mv.status.validated_digest);
  mv.spec.artifact.digest.reset();
  mv.status.validated_digest.clear();
  const ModelRecord none = ModelRecord::From(mv);
  EXPECT_FALSE(none.has_artifact_digest());
  EXPECT_EQ(none.validated_digest(), "");
}

TEST(ModelRecordTest, CopyTakesItsMemoryFromTheGivenResource) {
  ModelVersion mv = PassedModel("a-namespace-long-enough", "a-model-with-a-long-name");
  const ModelRecord original = ModelRecord::From(mv);
  std::pmr::monotonic_buffer_resource arena;
  const ModelRecord copy(original, &arena);
  EXPECT_EQ(copy.key(), original.key());
  EXPECT_NE(copy.key().data(), original.key().data());
  EXPECT_EQ(copy.resource(), &arena);
  EXPECT_EQ(copy.gates().get_allocator().resource(), &arena);
  EXPECT_EQ(copy.metrics().get_allocator().resource(), &arena);
  EXPECT_EQ(copy.gates().size(), original.gates().size());
  EXPECT_EQ(copy.metrics().size(), original.metrics().size());
  EXPECT_EQ(copy.artifact_uri(), original.artifact_uri());
  EXPECT_EQ(copy.validated_digest(), original.validated_digest());
}

TEST(ModelRecordTest, ArtifactUriIsKeptWithoutTrailingSlashes) {
  ModelVersion mv = PassedModel("ml", "fraud");
  mv.spec.artifact.uri = "s3://models/fraud//";
  EXPECT_EQ(ModelRecord::From(mv).artifact_uri(), "s3://models/fraud");
  EXPECT_EQ(ModelRecord::From(mv).name(), "fraud");
}

TEST(MetricNameTest, EqualNamesAreOneString) {
  EXPECT_EQ(MetricName::Of("auc"), MetricName::Of(std::string("au") + "c"));
  EXPECT_EQ(MetricName::Of("auc").view().data(), MetricName::Of("auc").view().data());
  EXPECT_FALSE(MetricName::Of("auc") == MetricName::Of("f1"));
}

}  // namespace
}  // namespace modelgate::policy
