// OpenDataSource: a ByteSource for a dataset or artifact URI.
//
//   /path or file:///path        a local file
//   http://... or https://...    an HTTP GET, streamed as the body arrives
//   s3://bucket/key              an S3 GET signed with SigV4; path-style against
//                                AWS_ENDPOINT_URL when set (MinIO and other S3-compatible
//                                stores), else https://bucket.s3.<region>.amazonaws.com/key
//
// Credentials and region come from the options or, when absent there, from
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN / AWS_REGION /
// AWS_ENDPOINT_URL. Messages name the URI, never credentials.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "api/status.h"
#include "gates/byte_source.h"
#include "gates/sigv4.h"

namespace modelgate::gates {

struct DataSourceOptions {
  std::chrono::seconds timeout{300};
  std::optional<AwsCredentials> credentials;  // absent: from the environment
  std::optional<std::string> s3_region;       // absent: AWS_REGION, else us-east-1
  std::optional<std::string> s3_endpoint;     // absent: AWS_ENDPOINT_URL, else AWS
};

// Opens `uri` for streaming. Returns InvalidArgument for a scheme the gates do not read
// (CheckReadableUri says which and why) or a malformed URI, NotFound for a missing file or an HTTP
// 404, PermissionDenied for 401/403, Unavailable for connection failures and other HTTP errors;
// each message names the URI.
Result<std::unique_ptr<ByteSource>> OpenDataSource(const std::string& uri,
                                                   const DataSourceOptions& options = {});

// `uri` with any user:password@ removed, for messages and logs.
std::string RedactUri(const std::string& uri);

}  // namespace modelgate::gates
