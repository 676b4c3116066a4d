#include "gates/artifact_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace modelgate::gates {
namespace {

using ::testing::HasSubstr;

// sha256("abc"), as `printf abc | sha256sum` prints it.
constexpr char kAbcDigest[] =
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

ByteSourceOpener Serving(std::string content) {
  return [content](const std::string& uri) -> Result<std::unique_ptr<ByteSource>> {
    return MemoryByteSource(content, uri);
  };
}

Artifact WithDigest(std::string digest) {
  Artifact artifact;
  artifact.uri = "s3://models/m/model.joblib";
  artifact.digest = std::move(digest);
  return artifact;
}

TEST(ArtifactCheckTest, PassesWhenDigestMatches) {
  GateResult result = CheckArtifactDigest(WithDigest(kAbcDigest), Serving("abc"));
  EXPECT_EQ(result.verdict, GateVerdict::kPassed) << result.message;
}

TEST(ArtifactCheckTest, UppercaseHexMatchesToo) {
  std::string upper = kAbcDigest;
  for (std::size_t i = 7; i < upper.size(); ++i)
    upper[i] = static_cast<char>(std::toupper(upper[i]));
  EXPECT_EQ(CheckArtifactDigest(WithDigest(upper), Serving("abc")).verdict, GateVerdict::kPassed);
}

TEST(ArtifactCheckTest, FailsNamingBothDigestsOnMismatch) {
  GateResult result = CheckArtifactDigest(WithDigest(kAbcDigest), Serving("abd"));
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_THAT(result.message, HasSubstr("s3://models/m/model.joblib: digest mismatch: expected " +
                                        std::string(kAbcDigest)));
}

TEST(ArtifactCheckTest, UnreadableArtifactIsAnErrorNamingTheUri) {
  ByteSourceOpener missing = [](const std::string& uri) -> Result<std::unique_ptr<ByteSource>> {
    return Status::NotFound(uri + ": no such file");
  };
  GateResult result = CheckArtifactDigest(WithDigest(kAbcDigest), missing);
  EXPECT_EQ(result.verdict, GateVerdict::kError);
  EXPECT_THAT(result.message, HasSubstr("spec.artifact.uri: s3://models/m/model.joblib"));
}

TEST(ArtifactCheckTest, NoDigestPassesWithoutReading) {
  bool opened = false;
  ByteSourceOpener open = [&](const std::string& uri) -> Result<std::unique_ptr<ByteSource>> {
    opened = true;
    return MemoryByteSource("", uri);
  };
  Artifact artifact;
  EXPECT_EQ(CheckArtifactDigest(artifact, open).verdict, GateVerdict::kPassed);
  EXPECT_FALSE(opened);
}

}  // namespace
}  // namespace modelgate::gates
