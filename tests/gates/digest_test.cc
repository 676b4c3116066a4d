#include "gates/digest.h"

#include <gtest/gtest.h>

namespace modelgate::gates {
namespace {

constexpr char kAbcDigest[] =
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

TEST(DigestTest, HashesWholeStream) {
  auto source = MemoryByteSource("abc", "model.onnx");
  EXPECT_EQ(*Sha256Digest(*source), kAbcDigest);
}

TEST(DigestTest, HashesStreamsLargerThanOneBuffer) {
  std::string data(3 << 20, 'x');
  auto a = MemoryByteSource(data, "a");
  auto b = MemoryByteSource(data + "y", "b");
  EXPECT_NE(*Sha256Digest(*a), *Sha256Digest(*b));
}

TEST(DigestTest, VerifiesMatchingDigestInAnyCase) {
  auto source = MemoryByteSource("abc", "model.onnx");
  std::string upper = kAbcDigest;
  for (std::size_t i = 7; i < upper.size(); ++i)
    upper[i] = static_cast<char>(std::toupper(upper[i]));
  EXPECT_TRUE(VerifyDigest(*source, upper).ok());
}

TEST(DigestTest, ReportsMismatchNamingTheArtifact) {
  auto source = MemoryByteSource("abd", "s3://models/m.onnx");
  Status status = VerifyDigest(*source, kAbcDigest);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("s3://models/m.onnx: digest mismatch: expected sha256:ba78", 0),
            0u)
      << status.message();
}

TEST(DigestTest, RejectsMalformedDigest) {
  EXPECT_FALSE(ValidateDigest("md5:abc").ok());
  EXPECT_FALSE(ValidateDigest("sha256:xyz").ok());
  EXPECT_TRUE(ValidateDigest(kAbcDigest).ok());
}

}  // namespace
}  // namespace modelgate::gates
