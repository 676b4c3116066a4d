#include "gates/data_source.h"

#include <cpprest/http_client.h>
#include <cpprest/rawptrstream.h>

#include <cstdlib>
#include <map>
#include <utility>

#include "gates/readable_uri.h"

namespace modelgate::gates {
namespace {

namespace http = web::http;

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

Status HttpError(const std::string& name, int code, const std::string& reason) {
  std::string message =
      "GET " + name + ": HTTP " + std::to_string(code) + (reason.empty() ? "" : " " + reason);
  if (code == 404) return Status::NotFound(message);
  if (code == 401 || code == 403) return Status::PermissionDenied(message);
  return Status::Unavailable(message);
}

// Streams an HTTP response body; the body is read as it arrives, never held whole.
class HttpSource : public ByteSource {
 public:
  HttpSource(std::unique_ptr<http::client::http_client> client, http::http_response response,
             std::string name)
      : client_(std::move(client)),
        response_(std::move(response)),
        body_(response_.body()),
        name_(std::move(name)) {}

  Result<std::size_t> Read(char* buffer, std::size_t size) override {
    try {
      Concurrency::streams::rawptr_buffer<uint8_t> target(reinterpret_cast<uint8_t*>(buffer), size,
                                                          std::ios::out);
      return body_.read(target, size).get();
    } catch (const std::exception& e) {
      return Status::Unavailable(name_ + ": reading the response failed: " + e.what());
    }
  }
  const std::string& name() const override { return name_; }

 private:
  std::unique_ptr<http::client::http_client> client_;
  http::http_response response_;
  Concurrency::streams::istream body_;
  std::string name_;
};

Result<std::unique_ptr<ByteSource>> OpenHttp(const std::string& url, const std::string& name,
                                             const std::map<std::string, std::string>& headers,
                                             const DataSourceOptions& options) {
  try {
    http::client::http_client_config config;
    config.set_timeout(options.timeout);
    web::uri parsed(utility::conversions::to_string_t(url));
    auto client = std::make_unique<http::client::http_client>(
        web::uri_builder(parsed).set_path("").set_query("").set_fragment("").to_uri(), config);
    http::http_request request(http::methods::GET);
    request.set_request_uri(web::uri_builder()
                                .set_path(parsed.path(), false)
                                .set_query(parsed.query(), false)
                                .to_uri());
    for (const auto& [header, value] : headers) request.headers().add(header, value);
    http::http_response response = client->request(request).get();
    if (response.status_code() >= 300) {
      return HttpError(name, response.status_code(), response.reason_phrase());
    }
    return std::unique_ptr<ByteSource>(
        std::make_unique<HttpSource>(std::move(client), std::move(response), name));
  } catch (const web::uri_exception& e) {
    return Status::InvalidArgument(name + ": malformed URL: " + e.what());
  } catch (const std::exception& e) {
    return Status::Unavailable("GET " + name + ": " + e.what());
  }
}

Result<std::unique_ptr<ByteSource>> OpenS3(const std::string& uri,
                                           const DataSourceOptions& options) {
  const std::string rest = uri.substr(5);  // after "s3://"
  const std::size_t slash = rest.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size()) {
    return Status::InvalidArgument(uri + ": expected s3://bucket/key");
  }
  const std::string bucket = rest.substr(0, slash);
  const std::string key = rest.substr(slash + 1);
  AwsCredentials credentials;
  if (options.credentials) {
    credentials = *options.credentials;
  } else {
    Result<AwsCredentials> from_env = AwsCredentialsFromEnvironment();
    if (!from_env.ok()) return from_env.status().WithContext(uri);
    credentials = *from_env;
  }
  SigV4Request request;
  request.region = options.s3_region.value_or(EnvOr("AWS_REGION", "us-east-1"));
  const std::string endpoint = options.s3_endpoint.value_or(EnvOr("AWS_ENDPOINT_URL", ""));
  std::string url;
  if (!endpoint.empty()) {
    web::uri base(utility::conversions::to_string_t(endpoint));
    request.host = base.host();
    if (!base.is_port_default()) request.host += ":" + std::to_string(base.port());
    request.canonical_path = UriEncode("/" + bucket + "/" + key, /*keep_slash=*/true);
    url = endpoint +
          (endpoint.back() == '/' ? request.canonical_path.substr(1) : request.canonical_path);
  } else {
    request.host = bucket + ".s3." + request.region + ".amazonaws.com";
    request.canonical_path = UriEncode("/" + key, /*keep_slash=*/true);
    url = "https://" + request.host + request.canonical_path;
  }
  std::map<std::string, std::string> headers =
      SignV4(request, credentials, std::chrono::system_clock::now());
  return OpenHttp(url, uri, headers, options);
}

}  // namespace

std::string RedactUri(const std::string& uri) {
  const std::size_t scheme = uri.find("://");
  if (scheme == std::string::npos) return uri;
  const std::size_t host_start = scheme + 3;
  const std::size_t path = uri.find('/', host_start);
  const std::size_t at = uri.rfind('@', path == std::string::npos ? uri.size() : path);
  if (at == std::string::npos || at < host_start) return uri;
  return uri.substr(0, host_start) + uri.substr(at + 1);
}

Result<std::unique_ptr<ByteSource>> OpenDataSource(const std::string& uri,
                                                   const DataSourceOptions& options) {
  if (uri.rfind("file://", 0) == 0) return OpenFileByteSource(uri.substr(7));
  if (uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0) {
    return OpenHttp(uri, RedactUri(uri), {}, options);
  }
  if (uri.rfind("s3://", 0) == 0) return OpenS3(uri, options);
  Status readable = CheckReadableUri(uri);
  if (!readable.ok()) return readable;
  return OpenFileByteSource(uri);
}

}  // namespace modelgate::gates
