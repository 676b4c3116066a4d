// modelgate_load_bench: the stress gate's load generator (gates/stress_load.h) on one URL,
// so it can be run side by side with wrk against the same server.
//
//   modelgate_load_bench http://127.0.0.1:PORT/PATH --connections N --seconds S
//       [--rate R] [--threads T] [--method POST] [--body-file FILE] [--timeout-ms MS]
//
// Closed loop by default (N requests in flight, like wrk); --rate makes it an open loop at R
// requests per second, latency counted from each request's due time. Prints one JSON object:
// counts, requests per second and the latency summary in microseconds, as measured
// ("latency_us") and as wrk would print it ("corrected_latency_us": back-filled for
// coordinated omission after the fact, as wrk 4 does). Exit 2 on a bad flag.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "gates/stress_load.h"

namespace modelgate::bench {
namespace {

using gates::LoadLoop;

bool ParseNumber(const char* text, double* value) {
  char* end = nullptr;
  *value = std::strtod(text, &end);
  return end != text && *end == '\0' && *value > 0;
}

// Splits "http://host:port/path". Returns false for anything else.
bool ParseUrl(const std::string& url, gates::StressTarget* target) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return false;
  const std::string rest = url.substr(scheme.size());
  const std::size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  target->path = slash == std::string::npos ? "/" : rest.substr(slash);
  const std::size_t colon = authority.rfind(':');
  if (colon == std::string::npos) return false;
  target->host = authority.substr(0, colon);
  double port = 0;
  if (!ParseNumber(authority.substr(colon + 1).c_str(), &port) || port > 65535) return false;
  target->port = static_cast<int>(port);
  return !target->host.empty();
}

bool ParseFlags(int argc, char** argv, gates::StressTarget* target, gates::LoadProfile* profile) {
  bool have_url = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      if (have_url || !ParseUrl(arg, target)) return false;
      have_url = true;
      continue;
    }
    if (i + 1 >= argc) return false;
    const char* v = argv[++i];
    double number = 0;
    if (arg == "--method") {
      target->method = v;
      continue;
    }
    if (arg == "--body-file") {
      std::ifstream in(v, std::ios::binary);
      if (!in) return false;
      std::ostringstream body;
      body << in.rdbuf();
      target->body = body.str();
      continue;
    }
    if (!ParseNumber(v, &number)) return false;
    if (arg == "--connections") {
      profile->connections = static_cast<int>(number);
    } else if (arg == "--threads") {
      profile->threads = static_cast<int>(number);
    } else if (arg == "--seconds") {
      profile->duration = std::chrono::milliseconds(static_cast<std::int64_t>(number * 1000));
    } else if (arg == "--rate") {
      profile->loop = LoadLoop::kOpen;
      profile->requests_per_second = number;
    } else if (arg == "--timeout-ms") {
      profile->request_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(number));
    } else {
      return false;
    }
  }
  return have_url;
}

double Micros(std::int64_t nanoseconds) { return static_cast<double>(nanoseconds) / 1000.0; }

int Run(int argc, char** argv) {
  gates::StressTarget target;
  gates::LoadProfile profile;
  if (!ParseFlags(argc, argv, &target, &profile)) {
    std::cerr << "usage: modelgate_load_bench http://HOST:PORT/PATH [--connections N] "
                 "[--seconds S]\n       [--rate R] [--threads T] [--method M] [--body-file F] "
                 "[--timeout-ms MS]\n";
    return 2;
  }
  Result<gates::LoadReport> report = gates::RunLoad(target, profile);
  if (!report.ok()) {
    std::cerr << report.status().message() << "\n";
    return 2;
  }
  const gates::LatencySummary latency = report->latency.Summarize();
  // What wrk prints: its results back-filled for the interval a connection took per request
  // on average over the run (wrk.c: stats_correct(statistics.latency, interval)).
  const std::int64_t per_connection = report->completed() / profile.connections;
  const std::int64_t interval = per_connection > 0 ? report->elapsed.count() / per_connection : 0;
  const gates::LatencySummary corrected =
      interval > 0 ? report->latency.CorrectedForInterval(interval).Summarize() : latency;
  nlohmann::json out = {
      {"loop", profile.loop == LoadLoop::kOpen ? "open" : "closed"},
      {"connections", profile.connections},
      {"requests", report->requests},
      {"succeeded", report->succeeded},
      {"errors", report->completed() - report->succeeded},
      {"seconds", std::chrono::duration<double>(report->elapsed).count()},
      {"requests_per_second", report->throughput()},
      {"latency_us",
       {{"p50", Micros(latency.p50)},
        {"p90", Micros(latency.p90)},
        {"p99", Micros(latency.p99)},
        {"p999", Micros(latency.p999)},
        {"max", Micros(latency.max)},
        {"mean", latency.mean / 1000.0}}},
      {"corrected_latency_us",
       {{"p50", Micros(corrected.p50)},
        {"p90", Micros(corrected.p90)},
        {"p99", Micros(corrected.p99)},
        {"max", Micros(corrected.max)},
        {"mean", corrected.mean / 1000.0}}},
  };
  std::cout << out.dump() << "\n";
  return 0;
}

}  // namespace
}  // namespace modelgate::bench

int main(int argc, char** argv) { return modelgate::bench::Run(argc, argv); }
