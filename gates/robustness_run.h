// Running robustness cases through a serving endpoint and judging each answer.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "gates/gate_result.h"
#include "gates/inference_endpoint.h"
#include "gates/robustness_case.h"

namespace modelgate::gates {

struct CaseVerdict {
  std::string name;
  std::string origin;
  CaseExpectation expect = CaseExpectation::kValid;
  bool passed = false;
  std::string reason;   // why it failed, or what it got when it passed
  int http_status = 0;  // 0 when no answer came
  std::string request;  // truncated to RobustnessRunOptions::max_shown_bytes
  std::string answer;   // truncated likewise
};

struct RobustnessRunOptions {
  std::size_t max_shown_bytes = 512;
  // When > 0, a valid answer must carry this many class probabilities.
  std::size_t expected_probabilities = 0;
};

// Judges one exchange: a 5xx, a timeout, a dropped connection or an oversized answer always
// fails; kValid needs a 2xx whose single prediction decoded with finite numbers (and the
// expected number of probabilities); kInvalid needs a 4xx; kHandled accepts either.
CaseVerdict JudgeCase(const RobustnessCase& robustness_case, const InferenceExchange& exchange,
                      const RobustnessRunOptions& options = {});

// Sends every case, one request each, in order, and judges each answer.
std::vector<CaseVerdict> RunRobustnessCases(InferenceEndpoint& endpoint,
                                            const std::vector<RobustnessCase>& cases,
                                            const RobustnessRunOptions& options = {});

// The robustness gate's result: Passed when at most `max_failures` cases failed; metrics
// "cases" and "failed_cases"; details list every failing case with its request and answer.
GateResult RobustnessGateResult(const std::vector<CaseVerdict>& verdicts, int max_failures);

}  // namespace modelgate::gates
