// GateResult: the verdict of one CI gate, with the numbers behind it.
//
// A gate's result travels two ways: a compact JSON (under 4 KiB, the limit of a Kubernetes
// termination message) that the operator copies into ModelVersion.status, and a full JSON
// report for logs and the CLI.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace modelgate::gates {

enum class GateVerdict {
  kPassed,  // every check of the gate held
  kFailed,  // the gate ran and at least one check did not hold
  kError,   // the gate could not run (bad input, unreachable dependency)
};

// "Passed", "Failed" or "Error".
const char* GateVerdictName(GateVerdict verdict);

// The largest compact result a termination message can carry.
inline constexpr std::size_t kMaxCompactResultBytes = 4096;
// The most metrics a compact result carries: the operator refuses more (job_outcome.h), and
// ModelVersion.status stays readable.
inline constexpr std::size_t kMaxCompactResultMetrics = 64;

struct GateResult {
  std::string gate;  // "data", "quality", "robustness", "stress"
  GateVerdict verdict = GateVerdict::kError;
  std::map<std::string, double> metrics;              // measured numbers, e.g. "drift_share" -> 0.2
  std::string message;                                // one human sentence: why it passed or failed
  nlohmann::json details = nlohmann::json::object();  // per-check findings for the report
};

// The compact form: {"gate","verdict","message","metrics"} without details. When it would
// exceed `max_bytes` or carry more than kMaxCompactResultMetrics metrics, "truncated":true is
// set, the message is shortened to 512 bytes, the
// headline metrics (names without a '.') are kept and per-column ones ("drift_score.age")
// are added while they fit, so the result always fits.
// REQUIRES: max_bytes >= 256.
std::string CompactResultJson(const GateResult& result,
                              std::size_t max_bytes = kMaxCompactResultBytes);

// The full report: the compact fields plus "details". Non-finite metrics become null.
nlohmann::json FullResultJson(const GateResult& result);

}  // namespace modelgate::gates
