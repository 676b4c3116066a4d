// Judging a load run: absolute latency and error budgets, and a latency ratio against the
// champion measured in the same run (so both saw the same machine and the same noise).
#pragma once

#include <optional>

#include "gates/gate_result.h"
#include "gates/stress_load.h"

namespace modelgate::gates {

struct StressBudget {
  std::optional<double> max_p50_ms;
  std::optional<double> max_p95_ms;
  std::optional<double> max_p99_ms;
  double max_error_rate = 0.01;
  std::optional<double> min_throughput;  // requests per second
  std::optional<double> max_p99_ratio;   // candidate p99 / champion p99
};

// The stress gate's result for `candidate` (and `champion`, when the budget compares with
// one). Metrics: p50_ms, p90_ms, p95_ms, p99_ms, p999_ms, max_ms, error_rate, throughput,
// requests, and champion_p99_ms / p99_ratio with a champion. Failed when any budget is
// exceeded, naming each one with the measured value and the limit; Error when the candidate
// answered no request at all.
GateResult StressGateResult(const LoadReport& candidate, const LoadReport* champion,
                            const StressBudget& budget);

}  // namespace modelgate::gates
