// A small plain-HTTP server for /healthz, /readyz and /metrics on Boost.Beast. Probes and
// scrapes are a few requests a second from inside the cluster, so one I/O thread, one
// request per connection and tight limits are enough: request headers above 8 KiB are
// refused, and a client that does not send its request within 5 seconds is cut off.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "api/status.h"

namespace modelgate::op {

struct ProbeResponse {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// Answers a GET for `path` (without the query). Runs on the server thread; must not block.
using ProbeHandler = std::function<ProbeResponse(const std::string& path)>;

class ProbeServer {
 public:
  // Listens on `address` ("host:port", ":port" for all interfaces; port 0 picks a free one)
  // and starts the server thread. Returns InvalidArgument for an address that does not parse
  // and Unavailable naming the address when it cannot be bound.
  static Result<std::unique_ptr<ProbeServer>> Start(const std::string& address,
                                                    ProbeHandler handler);

  ProbeServer(const ProbeServer&) = delete;
  ProbeServer& operator=(const ProbeServer&) = delete;
  ~ProbeServer();  // Stop()

  // The port listened on.
  uint16_t port() const { return port_; }

  // Stops accepting, ends open connections and joins the thread. Idempotent.
  void Stop();

  struct State;

 private:
  ProbeServer(std::shared_ptr<State> state, uint16_t port);

  std::shared_ptr<State> state_;
  std::thread thread_;
  uint16_t port_ = 0;
};

}  // namespace modelgate::op
