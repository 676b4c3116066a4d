// cpprestsdk's U() macro breaks fmt's templates (spdlog); this build never needs it.
#define _TURN_OFF_PLATFORM_STRING
#include "kube/pod_log.h"

#include <cpprest/http_client.h>

#include <cctype>
#include <vector>

#include "kube/api_error.h"
#include "kube/resource.h"
#include "kube/tls_context.h"

namespace modelgate::kube {
namespace {

namespace http = web::http;

Result<std::string> BearerToken(const ClientConfig& config) {
  if (!config.bearer_token_file.empty()) {
    Result<std::string> token = ReadBoundedFile(config.bearer_token_file, kMaxCredentialFileBytes);
    if (!token.ok()) return token.status();
    std::string text = *token;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
      text.pop_back();
    }
    return text;
  }
  return config.bearer_token;
}

}  // namespace

Result<std::string> ReadPodLog(const ClientConfig& config, const std::string& ns,
                               const std::string& pod, const PodLogOptions& options) {
  if (config.server.rfind("https://", 0) != 0 && config.server.rfind("http://", 0) != 0) {
    return Status::InvalidArgument("server: must be an http:// or https:// URL, got \"" +
                                   config.server + "\"");
  }
  MODELGATE_RETURN_IF_ERROR(ValidateTlsMaterial(config));
  std::string target = ResourcePath(PodsResource(), ns, pod, "log") +
                       "?limitBytes=" + std::to_string(options.limit_bytes);
  if (!options.container.empty()) {
    // Container names are DNS labels: nothing to escape in a valid one, and an invalid one
    // is refused here rather than sent.
    for (char c : options.container) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.')) {
        return Status::InvalidArgument("container \"" + options.container + "\": not a valid name");
      }
    }
    target += "&container=" + options.container;
  }
  const std::string context = "GET " + target;
  Result<std::string> token = BearerToken(config);
  if (!token.ok()) return token.status();
  try {
    http::client::http_client_config cfg;
    cfg.set_timeout(config.request_timeout);
    cfg.set_validate_certificates(!config.insecure_skip_tls_verify);
    cfg.set_ssl_context_callback(
        [config](boost::asio::ssl::context& ctx) { ConfigureTlsContext(config, ctx); });
    http::client::http_client client(utility::conversions::to_string_t(config.server), cfg);
    http::http_request request(http::methods::GET);
    request.set_request_uri(utility::conversions::to_string_t(target));
    request.headers().add("Accept", "text/plain, */*");
    request.headers().add("User-Agent", config.user_agent);
    if (!token->empty()) request.headers().add("Authorization", "Bearer " + *token);
    http::http_response response = client.request(request).get();
    // The server honours limitBytes; a little slack covers a line it finishes.
    const std::size_t max_bytes = options.limit_bytes + (64u << 10);
    auto body = response.body().streambuf();
    std::string text;
    std::vector<uint8_t> buffer(64 * 1024);
    while (text.size() <= max_bytes) {
      const std::size_t n = body.getn(buffer.data(), buffer.size()).get();
      if (n == 0) break;
      text.append(reinterpret_cast<const char*>(buffer.data()), n);
    }
    if (text.size() > max_bytes) text.resize(max_bytes);
    const int code = response.status_code();
    if (code < 200 || code >= 300) return StatusFromHttp(code, text, context);
    return text;
  } catch (const std::exception& e) {
    return Status::Unavailable(context + ": " + e.what());
  }
}

}  // namespace modelgate::kube
