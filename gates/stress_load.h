// The stress gate's load generator: keep-alive HTTP/1.1 connections on Boost.Asio sending one
// fixed request again and again, in a closed loop (each connection sends its next request
// when the answer arrives) or an open loop (requests are due at a constant rate; a late
// request's latency counts from when it was due, so a stalled server cannot hide its stall
// by slowing the generator down: coordinated omission is corrected). Always bounded by time
// and optionally by count; it stops by itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>  // before any Boost.Asio header: Boost 1.74 needs std::exchange
#include <vector>

#include "api/status.h"
#include "gates/latency_histogram.h"

namespace modelgate::gates {

// The one request the generator repeats.
struct StressTarget {
  std::string host = "127.0.0.1";  // an address or a name that resolves
  int port = 0;
  std::string method = "POST";
  std::string path = "/";
  std::string body;
  std::string content_type = "application/json";
};

enum class LoadLoop {
  kClosed,  // `connections` requests in flight at all times
  kOpen,    // `requests_per_second` requests due at a constant rate, spread over connections
};

struct LoadProfile {
  LoadLoop loop = LoadLoop::kClosed;
  int connections = 4;
  double requests_per_second = 0;             // open loop only; > 0
  std::chrono::milliseconds duration{10000};  // no request is started after this
  std::int64_t max_requests = 0;              // 0: bounded by duration alone
  std::chrono::milliseconds request_timeout{5000};
  int threads = 1;  // event loops; connections are dealt out among them
};

// What a load run measured. Latencies are of answered requests (any status code).
struct LoadReport {
  LatencyHistogram latency;
  std::int64_t requests = 0;           // started
  std::int64_t succeeded = 0;          // 2xx
  std::int64_t http_errors = 0;        // answered with another status
  std::int64_t timeouts = 0;           // no answer within request_timeout
  std::int64_t connection_errors = 0;  // refused, reset or closed mid-request
  std::chrono::nanoseconds elapsed{0};
  std::vector<std::string> error_samples;  // the first few error descriptions

  std::int64_t completed() const { return succeeded + http_errors + timeouts + connection_errors; }
  // Share of finished requests that did not get a 2xx; 0 when none finished.
  double error_rate() const;
  // Finished requests per second of the run.
  double throughput() const;
};

// Runs the load against `target`. Fails with InvalidArgument naming the field when the
// profile is out of range (connections, threads, rate, duration) and Unavailable when the
// host does not resolve. A refused or failing server is not a failure of the run: it shows up
// as errors in the report.
Result<LoadReport> RunLoad(const StressTarget& target, const LoadProfile& profile);

}  // namespace modelgate::gates
