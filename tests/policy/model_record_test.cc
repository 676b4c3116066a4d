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
  EXPECT_NE(copy.gates().data(), original.gates().data());
  EXPECT_EQ(copy.gates().size(), original.gates().size());
  EXPECT_EQ(copy.metric_count(), original.metric_count());
  EXPECT_EQ(copy.metric_value(0), original.metric_value(0));
  EXPECT_EQ(copy.message(copy.gates()[0]), original.message(original.gates()[0]));
  EXPECT_EQ(copy.artifact_uri(), original.artifact_uri());
  EXPECT_EQ(copy.validated_digest(), original.validated_digest());
}

TEST(ModelRecordTest, ArtifactUriIsKeptWithoutTrailingSlashes) {
  ModelVersion mv = PassedModel("ml", "fraud");
  mv.spec.artifact.uri = "s3://models/fraud//";
  EXPECT_EQ(ModelRecord::From(mv).artifact_uri(), "s3://models/fraud");
  EXPECT_EQ(ModelRecord::From(mv).name(), "fraud");
}

TEST(ModelRecordTest, Sha256DigestIsKeptAsItsBytes) {
  ModelVersion mv = PassedModel("ml", "fraud");
  mv.spec.artifact.digest = "sha256:0123456789abcdef" + std::string(48, 'f');
  mv.status.validated_digest = *mv.spec.artifact.digest;
  const ModelRecord hex = ModelRecord::From(mv);
  EXPECT_EQ(hex.artifact_digest(), *mv.spec.artifact.digest);
  EXPECT_EQ(hex.validated_digest(), *mv.spec.artifact.digest);
  EXPECT_TRUE(hex.has_validated_digest());
  // Any other form is kept as written: upper case, another algorithm, a short one.
  for (const std::string& digest : {"sha256:0123456789ABCDEF" + std::string(48, 'f'),
                                    "sha512:" + std::string(128, 'a'), std::string("sha256:ab")}) {
    mv.spec.artifact.digest = digest;
    const ModelRecord text = ModelRecord::From(mv);
    EXPECT_EQ(text.artifact_digest(), digest);
    EXPECT_FALSE(text.validated_digest_is_artifact_digest());
    EXPECT_EQ(text.validated_digest(), mv.status.validated_digest);
  }
  // Bytes and text are one record block: the binary form is the smaller one.
  mv.spec.artifact.digest = mv.status.validated_digest;
  const size_t bytes_size = ModelRecord::From(mv).block_size();
  mv.spec.artifact.digest = "sha256:0123456789ABCDEF" + std::string(48, 'f');
  mv.status.validated_digest = *mv.spec.artifact.digest;
  EXPECT_EQ(ModelRecord::From(mv).block_size(), bytes_size + 39);
}

TEST(ModelRecordTest, NoValidatedDigestBeforeValidation) {
  ModelVersion mv = PassedModel("ml", "fraud");
  mv.status.validated_digest.clear();
  const ModelRecord r = ModelRecord::From(mv);
  EXPECT_FALSE(r.has_validated_digest());
  EXPECT_FALSE(r.validated_digest_is_artifact_digest());
  EXPECT_EQ(r.validated_digest(), "");
}

TEST(ModelRecordTest, MovedRecordKeepsItsContent) {
  ModelRecord original = ModelRecord::From(PassedModel("ml", "fraud"));
  const std::string key(original.key());
  const size_t metrics = original.metric_count();
  ModelRecord moved(std::move(original));
  EXPECT_EQ(moved.key(), key);
  EXPECT_EQ(moved.metric_count(), metrics);
  ModelRecord assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.key(), key);
  ASSERT_NE(assigned.FindGate(GateName::kQuality), nullptr);
}

TEST(MetricNameTest, EqualNamesAreOneString) {
  EXPECT_EQ(MetricName::Of("auc"), MetricName::Of(std::string("au") + "c"));
  EXPECT_EQ(MetricName::Of("auc").view().data(), MetricName::Of("auc").view().data());
  EXPECT_FALSE(MetricName::Of("auc") == MetricName::Of("f1"));
  EXPECT_EQ(MetricName::FromId(MetricName::Of("f1").id()).view(), "f1");
}

}  // namespace
}  // namespace modelgate::policy
