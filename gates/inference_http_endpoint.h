// The real InferenceEndpoint: a protocol's bytes over HTTP with cpprestsdk's client.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "gates/inference_endpoint.h"
#include "gates/inference_protocol.h"

namespace modelgate::gates {

struct HttpEndpointOptions {
  std::string base_url;  // scheme, host and port, such as "http://127.0.0.1:8080"
  std::chrono::milliseconds request_timeout{10000};
  std::size_t max_answer_bytes = 64 << 20;
  // Pause between readiness polls; short, since a sidecar usually starts in seconds.
  std::chrono::milliseconds readiness_poll_interval{200};
};

class HttpInferenceEndpoint final : public InferenceEndpoint {
 public:
  // Fails with InvalidArgument naming the URL when options.base_url is not an http(s) URL.
  static Result<std::unique_ptr<HttpInferenceEndpoint>> Create(
      HttpEndpointOptions options, std::unique_ptr<InferenceProtocol> protocol);

  ~HttpInferenceEndpoint() override;

  InferenceExchange Exchange(const InferenceBatch& batch) override;
  Status WaitUntilReady(std::chrono::steady_clock::time_point deadline) override;
  std::string Describe() const override;

 private:
  struct Transport;
  HttpInferenceEndpoint(HttpEndpointOptions options, std::unique_ptr<InferenceProtocol> protocol,
                        std::unique_ptr<Transport> transport);

  HttpEndpointOptions options_;
  std::unique_ptr<InferenceProtocol> protocol_;
  std::unique_ptr<Transport> transport_;
};

}  // namespace modelgate::gates
