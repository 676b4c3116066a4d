#include "gates/inference_http_endpoint.h"

#include <cpprest/containerstream.h>
#include <cpprest/http_client.h>

#include <system_error>
#include <thread>

namespace modelgate::gates {

namespace http = web::http;

// One request's transport-level result, before the protocol reads the body.
struct RawAnswer {
  ExchangeOutcome outcome = ExchangeOutcome::kConnectionFailed;
  int http_status = 0;
  std::string body;
  Status error;
};

struct HttpInferenceEndpoint::Transport {
  Transport(const std::string& base_url, const http::client::http_client_config& config)
      : client(utility::conversions::to_string_t(base_url), config) {}

  // Sends one request and reads at most max_bytes + 1 bytes of the answer. Turns every
  // exception cpprestsdk throws into an outcome, so nothing escapes the gates module.
  RawAnswer Send(const http::method& method, const std::string& path, const std::string& body,
                 std::size_t max_bytes) {
    RawAnswer answer;
    try {
      http::http_request request(method);
      request.set_request_uri(utility::conversions::to_string_t(path));
      if (method == http::methods::POST) request.set_body(body, "application/json");
      http::http_response response = client.request(request).get();
      answer.http_status = response.status_code();
      concurrency::streams::container_buffer<std::string> received;
      auto stream = response.body();
      constexpr std::size_t kChunk = 64 * 1024;
      while (stream.read(received, kChunk).get() > 0) {
        if (received.collection().size() > max_bytes) {
          answer.outcome = ExchangeOutcome::kAnswerTooLarge;
          answer.error = Status::ResourceExhausted("answer is larger than " +
                                                   std::to_string(max_bytes) + " bytes");
          answer.body = received.collection().substr(0, 1024);
          return answer;
        }
      }
      answer.body = std::move(received.collection());
      answer.outcome = ExchangeOutcome::kAnswered;
    } catch (const http::http_exception& e) {
      const bool timed_out = e.error_code() == std::errc::timed_out ||
                             std::string(e.what()).find("timed out") != std::string::npos;
      answer.outcome = timed_out ? ExchangeOutcome::kTimedOut : ExchangeOutcome::kConnectionFailed;
      answer.error = timed_out ? Status::DeadlineExceeded(e.what()) : Status::Unavailable(e.what());
    } catch (const std::exception& e) {
      answer.outcome = ExchangeOutcome::kConnectionFailed;
      answer.error = Status::Unavailable(e.what());
    }
    return answer;
  }

  http::client::http_client client;
};

Result<std::unique_ptr<HttpInferenceEndpoint>> HttpInferenceEndpoint::Create(
    HttpEndpointOptions options, std::unique_ptr<InferenceProtocol> protocol) {
  const utility::string_t url = utility::conversions::to_string_t(options.base_url);
  if (!web::uri::validate(url)) {
    return Status::InvalidArgument("serving endpoint \"" + options.base_url +
                                   "\" is not a valid URL");
  }
  web::uri parsed(url);
  if ((parsed.scheme() != U("http") && parsed.scheme() != U("https")) || parsed.host().empty()) {
    return Status::InvalidArgument("serving endpoint \"" + options.base_url +
                                   "\" is not an http(s) URL with a host");
  }
  http::client::http_client_config config;
  config.set_timeout(options.request_timeout);
  try {
    auto transport = std::make_unique<Transport>(options.base_url, config);
    return std::unique_ptr<HttpInferenceEndpoint>(
        new HttpInferenceEndpoint(std::move(options), std::move(protocol), std::move(transport)));
  } catch (const std::exception& e) {
    return Status::InvalidArgument("serving endpoint \"" + options.base_url + "\": " + e.what());
  }
}

HttpInferenceEndpoint::HttpInferenceEndpoint(HttpEndpointOptions options,
                                             std::unique_ptr<InferenceProtocol> protocol,
                                             std::unique_ptr<Transport> transport)
    : options_(std::move(options)),
      protocol_(std::move(protocol)),
      transport_(std::move(transport)) {}

HttpInferenceEndpoint::~HttpInferenceEndpoint() = default;

std::string HttpInferenceEndpoint::Describe() const {
  return protocol_->Name() + " " + options_.base_url + protocol_->InferPath();
}

InferenceExchange HttpInferenceEndpoint::Exchange(const InferenceBatch& batch) {
  InferenceExchange exchange;
  exchange.request_body = protocol_->EncodeRequest(batch);
  RawAnswer answer = transport_->Send(http::methods::POST, protocol_->InferPath(),
                                      exchange.request_body, options_.max_answer_bytes);
  exchange.outcome = answer.outcome;
  exchange.http_status = answer.http_status;
  exchange.response_body = std::move(answer.body);
  exchange.error = std::move(answer.error);
  if (exchange.outcome == ExchangeOutcome::kAnswered && exchange.http_status / 100 == 2) {
    Result<std::vector<Prediction>> predictions =
        protocol_->DecodeAnswer(exchange.response_body, batch.rows.size(), Describe());
    if (predictions.ok()) {
      exchange.predictions = std::move(predictions).value();
    } else {
      exchange.error = predictions.status();
    }
  }
  return exchange;
}

Status HttpInferenceEndpoint::WaitUntilReady(std::chrono::steady_clock::time_point deadline) {
  std::string last = "no answer yet";
  while (true) {
    bool ready = true;
    for (const std::string& path : protocol_->ReadinessPaths()) {
      RawAnswer answer = transport_->Send(http::methods::GET, path, "", 1 << 20);
      if (answer.outcome != ExchangeOutcome::kAnswered) {
        last = "GET " + path + ": " + ExchangeOutcomeName(answer.outcome);
        ready = false;
        break;
      }
      if (!protocol_->IsReadyAnswer(path, answer.http_status, answer.body)) {
        last = "GET " + path + ": HTTP " + std::to_string(answer.http_status) + " " +
               answer.body.substr(0, 200);
        ready = false;
        break;
      }
    }
    if (ready) return Status::Ok();
    if (std::chrono::steady_clock::now() + options_.readiness_poll_interval >= deadline) {
      return Status::DeadlineExceeded(options_.base_url + " was not ready in time; last: " + last);
    }
    // Polling a remote server: there is no condition to wait on, only its next answer.
    std::this_thread::sleep_for(options_.readiness_poll_interval);
  }
}

}  // namespace modelgate::gates
