#include "gates/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>
#include <ctime>
#include <string_view>

namespace modelgate::gates {
namespace {

std::string Hex(const unsigned char* data, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return Hex(digest, length);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  return std::string(reinterpret_cast<char*>(digest), length);
}

std::string FormatUtc(std::chrono::system_clock::time_point now, const char* format) {
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, format, &tm);
  return text;
}

}  // namespace

Result<AwsCredentials> AwsCredentialsFromEnvironment() {
  AwsCredentials credentials;
  const char* id = std::getenv("AWS_ACCESS_KEY_ID");
  const char* secret = std::getenv("AWS_SECRET_ACCESS_KEY");
  const char* token = std::getenv("AWS_SESSION_TOKEN");
  if (id == nullptr || *id == '\0') {
    return Status::NotFound("AWS_ACCESS_KEY_ID is not set; it is needed to read s3:// URLs");
  }
  if (secret == nullptr || *secret == '\0') {
    return Status::NotFound("AWS_SECRET_ACCESS_KEY is not set; it is needed to read s3:// URLs");
  }
  credentials.access_key_id = id;
  credentials.secret_access_key = secret;
  if (token != nullptr) credentials.session_token = token;
  return credentials;
}

std::string UriEncode(const std::string& text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::map<std::string, std::string> SignV4(const SigV4Request& request,
                                          const AwsCredentials& credentials,
                                          std::chrono::system_clock::time_point now) {
  const std::string amz_date = FormatUtc(now, "%Y%m%dT%H%M%SZ");
  const std::string date = amz_date.substr(0, 8);
  std::map<std::string, std::string> added;
  added["x-amz-date"] = amz_date;
  added["x-amz-content-sha256"] = request.payload_sha256;
  if (!credentials.session_token.empty()) added["x-amz-security-token"] = credentials.session_token;

  std::map<std::string, std::string> signed_headers = request.headers;
  signed_headers["host"] = request.host;
  for (const auto& [name, value] : added) signed_headers[name] = value;

  std::string canonical_query;
  for (const auto& [name, value] : request.query) {
    if (!canonical_query.empty()) canonical_query += '&';
    canonical_query += UriEncode(name, false) + "=" + UriEncode(value, false);
  }
  std::string canonical_headers, header_names;
  for (const auto& [name, value] : signed_headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!header_names.empty()) header_names += ';';
    header_names += name;
  }
  const std::string canonical_request = request.method + "\n" + request.canonical_path + "\n" +
                                        canonical_query + "\n" + canonical_headers + "\n" +
                                        header_names + "\n" + request.payload_sha256;
  const std::string scope = date + "/" + request.region + "/" + request.service + "/aws4_request";
  const std::string string_to_sign =
      "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + Sha256Hex(canonical_request);
  std::string key = HmacSha256("AWS4" + credentials.secret_access_key, date);
  key = HmacSha256(key, request.region);
  key = HmacSha256(key, request.service);
  key = HmacSha256(key, "aws4_request");
  const std::string signature = HmacSha256(key, string_to_sign);
  added["authorization"] =
      "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope +
      ", SignedHeaders=" + header_names + ", Signature=" +
      Hex(reinterpret_cast<const unsigned char*>(signature.data()), signature.size());
  return added;
}

}  // namespace modelgate::gates
