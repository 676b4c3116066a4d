#include "gates/stress_verdict.h"

#include <cstdio>
#include <string>
#include <vector>

namespace modelgate::gates {
namespace {

double Milliseconds(std::int64_t nanoseconds) { return static_cast<double>(nanoseconds) / 1e6; }

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.3g", value);
  return buffer;
}

}  // namespace

GateResult StressGateResult(const LoadReport& candidate, const LoadReport* champion,
                            const StressBudget& budget) {
  GateResult result;
  result.gate = "stress";
  const LatencySummary latency = candidate.latency.Summarize();
  result.metrics["p50_ms"] = Milliseconds(latency.p50);
  result.metrics["p90_ms"] = Milliseconds(latency.p90);
  result.metrics["p95_ms"] = Milliseconds(latency.p95);
  result.metrics["p99_ms"] = Milliseconds(latency.p99);
  result.metrics["p999_ms"] = Milliseconds(latency.p999);
  result.metrics["max_ms"] = Milliseconds(latency.max);
  result.metrics["error_rate"] = candidate.error_rate();
  result.metrics["throughput"] = candidate.throughput();
  result.metrics["requests"] = static_cast<double>(candidate.requests);
  nlohmann::json samples = candidate.error_samples;
  result.details["errorSamples"] = samples;
  result.details["timeouts"] = candidate.timeouts;
  result.details["connectionErrors"] = candidate.connection_errors;
  result.details["httpErrors"] = candidate.http_errors;

  if (candidate.completed() == 0) {
    result.verdict = GateVerdict::kError;
    result.message = "the stress run finished no request";
    return result;
  }

  std::vector<std::string> exceeded;
  auto check_max = [&](const char* metric, double measured, std::optional<double> limit) {
    if (limit && measured > *limit) {
      exceeded.push_back(std::string(metric) + " " + Number(measured) + " > " + Number(*limit));
    }
  };
  check_max("p50_ms", result.metrics["p50_ms"], budget.max_p50_ms);
  check_max("p95_ms", result.metrics["p95_ms"], budget.max_p95_ms);
  check_max("p99_ms", result.metrics["p99_ms"], budget.max_p99_ms);
  check_max("error_rate", candidate.error_rate(), budget.max_error_rate);
  if (budget.min_throughput && candidate.throughput() < *budget.min_throughput) {
    exceeded.push_back("throughput " + Number(candidate.throughput()) + " < " +
                       Number(*budget.min_throughput));
  }
  if (champion != nullptr) {
    const double champion_p99 = Milliseconds(champion->latency.ValueAtPercentile(99));
    result.metrics["champion_p99_ms"] = champion_p99;
    if (champion_p99 > 0) {
      const double ratio = result.metrics["p99_ms"] / champion_p99;
      result.metrics["p99_ratio"] = ratio;
      check_max("p99_ratio", ratio, budget.max_p99_ratio);
    }
  }

  if (exceeded.empty()) {
    result.verdict = GateVerdict::kPassed;
    result.message = "p99 " + Number(result.metrics["p99_ms"]) + " ms, error rate " +
                     Number(candidate.error_rate()) + ", " + Number(candidate.throughput()) +
                     " requests/s: within budget";
    return result;
  }
  result.verdict = GateVerdict::kFailed;
  result.message = "over the stress budget:";
  for (std::size_t i = 0; i < exceeded.size(); ++i) {
    result.message += (i == 0 ? " " : "; ") + exceeded[i];
  }
  return result;
}

}  // namespace modelgate::gates
