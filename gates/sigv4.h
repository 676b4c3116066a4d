// AWS Signature Version 4 for S3 requests (HMAC-SHA256 with OpenSSL), so datasets and
// artifacts can be read from any S3-compatible store with the usual AWS credentials.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "api/status.h"

namespace modelgate::gates {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
};

// Credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. Returns
// NotFound naming the missing variable.
Result<AwsCredentials> AwsCredentialsFromEnvironment();

struct SigV4Request {
  std::string method = "GET";
  std::string host;            // as sent in the Host header (with a port if not default)
  std::string canonical_path;  // URI-encoded path, e.g. "/bucket/key%20name.csv"
  std::map<std::string, std::string> query;    // decoded names and values
  std::map<std::string, std::string> headers;  // extra headers to sign, lower-case names
  std::string payload_sha256 = "UNSIGNED-PAYLOAD";
  std::string region = "us-east-1";
  std::string service = "s3";
};

// The headers to add to the request: authorization, x-amz-date, x-amz-content-sha256 and,
// with a session token, x-amz-security-token. `now` is the signing time (passed in so that
// signing is a pure function).
std::map<std::string, std::string> SignV4(const SigV4Request& request,
                                          const AwsCredentials& credentials,
                                          std::chrono::system_clock::time_point now);

// Percent-encodes `text` as SigV4 requires (unreserved characters kept; '/' kept when
// `keep_slash`).
std::string UriEncode(const std::string& text, bool keep_slash);

}  // namespace modelgate::gates
