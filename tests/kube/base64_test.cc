#include "kube/base64.h"

#include <gtest/gtest.h>

namespace modelgate::kube {
namespace {

TEST(Base64Test, RoundTripsAllLengths) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    Result<std::string> decoded = DecodeBase64(EncodeBase64(bytes));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, bytes);
    bytes.push_back(static_cast<char>(i * 37));
  }
}

TEST(Base64Test, KnownVector) {
  EXPECT_EQ(EncodeBase64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(*DecodeBase64("Zm9v\nYmE="), "fooba");
}

TEST(Base64Test, RejectsInvalidCharacters) {
  EXPECT_FALSE(DecodeBase64("Zm9v*mFy").ok());
  EXPECT_FALSE(DecodeBase64("Zm9=v").ok());
  EXPECT_FALSE(DecodeBase64("Z").ok());
}

}  // namespace
}  // namespace modelgate::kube
