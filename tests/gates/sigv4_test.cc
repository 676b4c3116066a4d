#include "gates/sigv4.h"

#include <gtest/gtest.h>

namespace modelgate::gates {
namespace {

// 2013-05-24T00:00:00Z, the time of AWS's published S3 signing examples.
std::chrono::system_clock::time_point ExampleTime() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1369353600));
}

AwsCredentials ExampleCredentials() {
  return {.access_key_id = "AKIAIOSFODNN7EXAMPLE",
          .secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
          .session_token = ""};
}

// AWS's "GET Object" example from "Signature Calculations for the Authorization Header".
TEST(SigV4Test, SignsAwsGetObjectExample) {
  SigV4Request request;
  request.host = "examplebucket.s3.amazonaws.com";
  request.canonical_path = "/test.txt";
  request.headers["range"] = "bytes=0-9";
  request.payload_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  auto headers = SignV4(request, ExampleCredentials(), ExampleTime());
  EXPECT_EQ(headers["x-amz-date"], "20130524T000000Z");
  EXPECT_EQ(headers["authorization"],
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4Test, AddsAndSignsSessionToken) {
  SigV4Request request;
  request.host = "localhost:9000";
  request.canonical_path = "/bucket/key.csv";
  AwsCredentials credentials = ExampleCredentials();
  credentials.session_token = "token";
  auto headers = SignV4(request, credentials, ExampleTime());
  EXPECT_EQ(headers["x-amz-security-token"], "token");
  EXPECT_NE(headers["authorization"].find(
                "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token"),
            std::string::npos);
}

TEST(SigV4Test, UriEncodesReservedCharacters) {
  EXPECT_EQ(UriEncode("a b/c+d~e", true), "a%20b/c%2Bd~e");
  EXPECT_EQ(UriEncode("a/b", false), "a%2Fb");
}

}  // namespace
}  // namespace modelgate::gates
