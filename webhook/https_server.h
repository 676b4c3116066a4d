// A production HTTPS/1.1 server for the admission webhook and its health and metrics
// endpoints, on Boost.Beast and OpenSSL.
//
// What it guarantees: TLS 1.2+ with AEAD suites only; the certificate is reloaded from disk
// when it changes; keep-alive; request bodies above a cap get 413 and the connection is
// closed politely (the rest of the body is drained, so the client sees the status);
// clients that are slow to send headers or body are cut off; plain HTTP on the TLS port
// gets a 400 in plain text; a fixed number of threads; shutdown that lets requests in
// flight finish.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/status.h"
#include "webhook/http_types.h"
#include "webhook/serving_certificate.h"

namespace modelgate::webhook {

struct HttpsServerOptions {
  std::string address = "0.0.0.0";  // "127.0.0.1" in tests
  uint16_t port = 8443;             // 0 picks a free port; see HttpsServer::port()
  int threads = 2;
  size_t max_body_bytes = 1 << 20;  // AdmissionReviews are far smaller
  size_t max_header_bytes = 16 << 10;
  size_t max_connections = 1024;
  // From a connection's first byte until the TLS handshake is done.
  std::chrono::milliseconds handshake_timeout{10'000};
  // From the first byte of a request until its body has arrived.
  std::chrono::milliseconds request_timeout{10'000};
  // How long a keep-alive connection may wait for its next request. Longer than the 90 s
  // that Go's HTTP client (the kube-apiserver) keeps idle connections, so the server is
  // not the side that closes a connection the client is about to reuse.
  std::chrono::milliseconds idle_timeout{120'000};
  std::chrono::milliseconds write_timeout{10'000};
};

class HttpsServer {
 public:
  // Binds, listens and starts the threads.
  // REQUIRES: certificate != nullptr, handler callable, options.threads >= 1.
  // Returns Unavailable naming address:port when the socket cannot be bound.
  static Result<std::unique_ptr<HttpsServer>> Start(HttpsServerOptions options,
                                                    std::shared_ptr<ServingCertificate> certificate,
                                                    HttpHandler handler);

  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;
  // Shuts down with a short grace period if Shutdown was not called.
  ~HttpsServer();

  // The port the server listens on (the chosen one when options.port was 0).
  uint16_t port() const { return port_; }

  // Stops accepting, closes idle connections, lets requests in flight finish (their
  // responses carry Connection: close), and stops the threads once every connection is
  // gone or `grace` has passed. Safe to call more than once.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::milliseconds(5'000));

  // Connections open right now.
  size_t open_connections() const;

  struct State;  // shared with the connections; defined in https_server.cc

 private:
  explicit HttpsServer(std::shared_ptr<State> state);

  std::shared_ptr<State> state_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::atomic<bool> stopped_{false};
};

}  // namespace modelgate::webhook
