#include "api/status.h"

#include <gtest/gtest.h>

namespace modelgate {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, WithContextPrefixesTheMessage) {
  Status s = Status::InvalidArgument("must be sha256:<64 hex digits>");
  Status c = s.WithContext("spec.artifact.digest");
  EXPECT_EQ(c.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(c.ToString(), "InvalidArgument: spec.artifact.digest: must be sha256:<64 hex digits>");
}

TEST(StatusTest, WithContextLeavesOkAlone) { EXPECT_TRUE(Status().WithContext("x").ok()); }

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> good(42);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  Result<int> bad(Status::NotFound("modelversion ml/x"));
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace modelgate
