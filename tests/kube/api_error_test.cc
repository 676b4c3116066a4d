#include "kube/api_error.h"

#include <gtest/gtest.h>

namespace modelgate::kube {
namespace {

std::string StatusBody(int code, const std::string& reason, const std::string& message) {
  return nlohmann::json{{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"},
                        {"code", code},     {"reason", reason},   {"message", message}}
      .dump();
}

TEST(ApiErrorTest, NotFoundMapsToNotFound) {
  Status s = StatusFromHttp(404, StatusBody(404, "NotFound", "pods \"x\" not found"), "GET /x");
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("pods \"x\" not found"), std::string::npos);
  EXPECT_NE(s.message().find("GET /x"), std::string::npos);
}

TEST(ApiErrorTest, ConflictAndAlreadyExistsAreDistinguishedByReason) {
  EXPECT_EQ(StatusFromHttp(409, StatusBody(409, "AlreadyExists", "exists"), "POST").code(),
            Status::Code::kAlreadyExists);
  EXPECT_EQ(StatusFromHttp(409, StatusBody(409, "Conflict", "modified"), "PUT").code(),
            Status::Code::kConflict);
}

TEST(ApiErrorTest, UnprocessableKeepsTheServersFieldMessage) {
  Status s = StatusFromHttp(
      422,
      StatusBody(422, "Invalid",
                 "ModelVersion.modelgate.io \"x\" is invalid: spec.version: Required value"),
      "POST /apis/modelgate.io/v1alpha1/namespaces/ml/modelversions");
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("spec.version: Required value"), std::string::npos);
}

TEST(ApiErrorTest, ForbiddenMapsToPermissionDenied) {
  EXPECT_EQ(StatusFromHttp(403, StatusBody(403, "Forbidden", "no"), "GET").code(),
            Status::Code::kPermissionDenied);
}

TEST(ApiErrorTest, GoneIsRecognisable) {
  Status s = StatusFromHttp(410, StatusBody(410, "Expired", "too old resource version"), "GET");
  EXPECT_TRUE(IsGone(s));
  EXPECT_FALSE(IsGone(StatusFromHttp(504, "", "GET")));
}

TEST(ApiErrorTest, WatchErrorEventWith410IsGone) {
  nlohmann::json object = {{"kind", "Status"},
                           {"code", 410},
                           {"reason", "Expired"},
                           {"message", "too old resource version: 5 (10)"}};
  EXPECT_TRUE(IsGone(StatusFromApiStatus(object, "watch pods")));
}

TEST(ApiErrorTest, TooManyRequestsCarriesRetryAfter) {
  Status s = StatusFromHttp(429, "slow down", "GET /x", std::chrono::seconds(7));
  EXPECT_EQ(s.code(), Status::Code::kUnavailable);
  ASSERT_TRUE(RetryAfter(s).has_value());
  EXPECT_EQ(*RetryAfter(s), std::chrono::seconds(7));
}

TEST(ApiErrorTest, RetryAfterSecondsInStatusDetailsIsUsed) {
  nlohmann::json body = {{"kind", "Status"},
                         {"code", 503},
                         {"reason", "ServiceUnavailable"},
                         {"message", "busy"},
                         {"details", {{"retryAfterSeconds", 3}}}};
  EXPECT_EQ(RetryAfter(StatusFromHttp(503, body.dump(), "GET")), std::chrono::seconds(3));
}

TEST(ApiErrorTest, ServerErrorWithoutHintHasNoRetryAfter) {
  Status s = StatusFromHttp(500, "<html>oops</html>", "GET");
  EXPECT_EQ(s.code(), Status::Code::kUnavailable);
  EXPECT_FALSE(RetryAfter(s).has_value());
  EXPECT_NE(s.message().find("<html>oops</html>"), std::string::npos);
}

TEST(ApiErrorTest, LongNonStatusBodiesAreTruncated) {
  Status s = StatusFromHttp(500, std::string(10000, 'x'), "GET");
  EXPECT_LT(s.message().size(), 700u);
}

TEST(ApiErrorTest, WatchEndedIsRecognisable) {
  EXPECT_TRUE(IsWatchEnded(WatchEndedStatus()));
  EXPECT_FALSE(IsWatchEnded(Status::Unavailable("connection refused")));
}

}  // namespace
}  // namespace modelgate::kube
