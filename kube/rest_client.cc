// cpprestsdk's U() macro breaks fmt's templates (spdlog); this build never needs it.
#define _TURN_OFF_PLATFORM_STRING
#include "kube/rest_client.h"

#include <cpprest/http_client.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "kube/api_error.h"
#include "kube/rate_limiter.h"
#include "kube/rest_watch_stream.h"
#include "kube/tls_context.h"
#include "kube/token_source.h"

namespace modelgate::kube {
namespace {

namespace http = web::http;
using http::client::http_client;
using http::client::http_client_config;

// Lists of a few thousand objects are tens of MB; this bounds a runaway response.
constexpr size_t kMaxResponseBytes = 256u << 20;
// How long past its timeoutSeconds a watch may stay idle before the client gives up.
constexpr std::chrono::seconds kWatchIdleMargin{60};

std::string QueryEscape(const std::string& value) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

class Query {
 public:
  Query& Add(const std::string& key, const std::string& value) {
    if (value.empty()) return *this;
    text_ += text_.empty() ? "?" : "&";
    text_ += key + "=" + QueryEscape(value);
    return *this;
  }
  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

Result<std::string> ReadBody(const http::http_response& response, size_t max_bytes) {
  auto body = response.body().streambuf();
  std::string out;
  std::vector<uint8_t> buffer(64 * 1024);
  while (true) {
    size_t n = body.getn(buffer.data(), buffer.size()).get();
    if (n == 0) break;
    out.append(reinterpret_cast<const char*>(buffer.data()), n);
    if (out.size() > max_bytes) {
      return Status::ResourceExhausted("response larger than " + std::to_string(max_bytes) +
                                       " bytes");
    }
  }
  return out;
}

std::optional<std::chrono::seconds> RetryAfterHeader(const http::http_response& response) {
  auto it = response.headers().find("Retry-After");
  if (it == response.headers().end()) return std::nullopt;
  try {
    return std::chrono::seconds(std::stoll(it->second));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

class RestClient final : public Client {
 public:
  RestClient(ClientConfig config, const Clock& clock)
      : config_(std::move(config)),
        clock_(clock),
        bucket_(config_.qps, std::max(1, config_.burst), clock) {
    if (!config_.bearer_token_file.empty()) {
      tokens_ = std::make_unique<FileTokenSource>(config_.bearer_token_file, clock_);
    } else if (!config_.bearer_token.empty()) {
      tokens_ = std::make_unique<StaticTokenSource>(config_.bearer_token);
    }
    client_ = NewHttpClient(config_.request_timeout);
  }

  Result<Json> Get(const ResourceRef& ref) override {
    return Call(http::methods::GET, Path(ref), Query(), nullptr, "");
  }

  Result<Json> List(const GroupVersionResource& gvr, const std::string& ns,
                    const ListOptions& options) override {
    Query query;
    query.Add("labelSelector", options.label_selector)
        .Add("fieldSelector", options.field_selector)
        .Add("resourceVersion", options.resource_version)
        .Add("limit", options.limit > 0 ? std::to_string(options.limit) : "")
        .Add("continue", options.continue_token);
    return Call(http::methods::GET, ResourcePath(gvr, ns), query, nullptr, "",
                options.keep_item_field);
  }

  Result<Json> Create(const GroupVersionResource& gvr, const std::string& ns, const Json& object,
                      const WriteOptions& options) override {
    std::string effective_ns = ns.empty() ? NamespaceOf(object) : ns;
    return Call(http::methods::POST, ResourcePath(gvr, gvr.namespaced ? effective_ns : ""),
                WriteQuery(options), &object, "application/json");
  }

  Result<Json> Update(const ResourceRef& ref, const Json& object,
                      const WriteOptions& options) override {
    return Call(http::methods::PUT, Path(ref), WriteQuery(options), &object, "application/json");
  }

  Result<Json> MergePatch(const ResourceRef& ref, const Json& patch,
                          const WriteOptions& options) override {
    return Call(http::methods::PATCH, Path(ref), WriteQuery(options), &patch,
                "application/merge-patch+json");
  }

  Result<Json> Apply(const ResourceRef& ref, const Json& object,
                     const ApplyOptions& options) override {
    if (options.field_manager.empty()) {
      return Status::InvalidArgument("server-side apply needs a field manager");
    }
    Query query;
    query.Add("fieldManager", options.field_manager)
        .Add("force", options.force ? "true" : "")
        .Add("dryRun", options.dry_run ? "All" : "");
    // JSON is YAML, so the apply content type takes it as it is.
    return Call(http::methods::PATCH, Path(ref), query, &object, "application/apply-patch+yaml");
  }

  Status Delete(const ResourceRef& ref, const DeleteOptions& options) override {
    Json body = {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}};
    if (!options.propagation_policy.empty()) body["propagationPolicy"] = options.propagation_policy;
    if (options.precondition_uid) body["preconditions"]["uid"] = *options.precondition_uid;
    if (options.precondition_resource_version) {
      body["preconditions"]["resourceVersion"] = *options.precondition_resource_version;
    }
    if (options.grace_period_seconds) body["gracePeriodSeconds"] = *options.grace_period_seconds;
    if (options.dry_run) body["dryRun"] = Json::array({"All"});
    Result<Json> result = Call(http::methods::DEL, Path(ref), Query(), &body, "application/json");
    return result.ok() ? Status::Ok() : result.status();
  }

  Result<Json> UpdateStatus(const ResourceRef& ref, const Json& object,
                            const WriteOptions& options) override {
    return Call(http::methods::PUT, Path(ref, "status"), WriteQuery(options), &object,
                "application/json");
  }

  Result<Json> PatchStatus(const ResourceRef& ref, const Json& patch,
                           const WriteOptions& options) override {
    return Call(http::methods::PATCH, Path(ref, "status"), WriteQuery(options), &patch,
                "application/merge-patch+json");
  }

  Result<std::unique_ptr<WatchStream>> Watch(const GroupVersionResource& gvr, const std::string& ns,
                                             const WatchOptions& options) override {
    Query query;
    query.Add("watch", "true")
        .Add("labelSelector", options.label_selector)
        .Add("fieldSelector", options.field_selector)
        .Add("resourceVersion", options.resource_version)
        .Add("allowWatchBookmarks", options.allow_bookmarks ? "true" : "")
        .Add("timeoutSeconds",
             options.timeout_seconds > 0 ? std::to_string(options.timeout_seconds) : "");
    std::string target = ResourcePath(gvr, ns) + query.str();
    std::string context = "GET " + target;
    // cpprestsdk's timeout is an idle timer over the whole exchange: it must outlast the
    // server's own end of the watch (bookmarks reset it about once a minute).
    std::chrono::seconds idle =
        options.timeout_seconds > 0
            ? std::chrono::seconds(options.timeout_seconds) + kWatchIdleMargin
            : std::chrono::seconds(3600);
    try {
      auto client = NewHttpClient(idle);
      pplx::cancellation_token_source cancel;
      Result<http::http_request> request = NewRequest(http::methods::GET, target, nullptr, "");
      if (!request.ok()) return request.status();
      http::http_response response = client->request(*request, cancel.get_token()).get();
      if (response.status_code() != http::status_codes::OK) {
        Result<std::string> body = ReadBody(response, 64 * 1024);
        return StatusFromHttp(response.status_code(), body.ok() ? *body : "", context,
                              RetryAfterHeader(response));
      }
      return std::unique_ptr<WatchStream>(
          std::make_unique<RestWatchStream>(client, response, cancel, context));
    } catch (const std::exception& e) {
      return Status::Unavailable(context + ": " + e.what());
    }
  }

 private:
  std::string Path(const ResourceRef& ref, std::string_view subresource = {}) const {
    return ResourcePath(ref.gvr, ref.gvr.namespaced ? ref.ns : "", ref.name, subresource);
  }

  static Query WriteQuery(const WriteOptions& options) {
    Query query;
    query.Add("fieldManager", options.field_manager).Add("dryRun", options.dry_run ? "All" : "");
    return query;
  }

  std::shared_ptr<http_client> NewHttpClient(std::chrono::seconds timeout) const {
    http_client_config cfg;
    cfg.set_timeout(timeout);
    cfg.set_validate_certificates(!config_.insecure_skip_tls_verify);
    ClientConfig tls = config_;
    cfg.set_ssl_context_callback(
        [tls](boost::asio::ssl::context& ctx) { ConfigureTlsContext(tls, ctx); });
    return std::make_shared<http_client>(utility::conversions::to_string_t(config_.server), cfg);
  }

  Result<http::http_request> NewRequest(const http::method& method, const std::string& target,
                                        const Json* body, const std::string& content_type) {
    http::http_request request(method);
    request.set_request_uri(utility::conversions::to_string_t(target));
    request.headers().add("Accept", "application/json");
    request.headers().add("User-Agent", config_.user_agent);
    if (tokens_) {
      Result<std::string> token = tokens_->Token();
      if (!token.ok()) return token.status();
      request.headers().add("Authorization", "Bearer " + *token);
    }
    if (body != nullptr) request.set_body(body->dump(), content_type);
    return request;
  }

  Result<Json> Call(const http::method& method, const std::string& path, const Query& query,
                    const Json* body, const std::string& content_type,
                    const ItemFieldFilter& keep_item_field = nullptr) {
    std::string target = path + query.str();
    std::string context = method + " " + target;
    Clock::Duration wait = bucket_.Reserve();
    if (wait > Clock::Duration::zero()) std::this_thread::sleep_for(wait);
    try {
      Result<http::http_request> request = NewRequest(method, target, body, content_type);
      if (!request.ok()) return request.status();
      http::http_response response = client_->request(*request).get();
      Result<std::string> text = ReadBody(response, kMaxResponseBytes);
      if (!text.ok()) return text.status().WithContext(context);
      int code = response.status_code();
      if (code < 200 || code >= 300) {
        return StatusFromHttp(code, *text, context, RetryAfterHeader(response));
      }
      if (text->empty()) return Json::object();
      Json parsed = ParseListJson(*text, keep_item_field);
      if (parsed.is_discarded()) {
        return Status::Internal(context + ": the API server's response is not JSON");
      }
      return parsed;
    } catch (const std::exception& e) {
      return Status::Unavailable(context + ": " + e.what());
    }
  }

  const ClientConfig config_;
  const Clock& clock_;
  TokenBucket bucket_;
  std::unique_ptr<TokenSource> tokens_;
  std::shared_ptr<http_client> client_;
};

}  // namespace

Result<std::unique_ptr<Client>> NewRestClient(const ClientConfig& config, const Clock& clock) {
  if (config.server.rfind("https://", 0) != 0 && config.server.rfind("http://", 0) != 0) {
    return Status::InvalidArgument("server: must be an http:// or https:// URL, got \"" +
                                   config.server + "\"");
  }
  if (config.qps <= 0) return Status::InvalidArgument("qps: must be positive");
  MODELGATE_RETURN_IF_ERROR(ValidateTlsMaterial(config));
  if (!config.tls_server_name.empty()) {
    spdlog::warn("msg=\"tls-server-name is not supported; the server URL's host is verified\"");
  }
  try {
    return std::unique_ptr<Client>(std::make_unique<RestClient>(config, clock));
  } catch (const std::exception& e) {
    return Status::InvalidArgument("server \"" + config.server + "\": " + e.what());
  }
}

}  // namespace modelgate::kube
