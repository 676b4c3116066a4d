#include "gates/robustness_run.h"

namespace modelgate::gates {
namespace {

std::string Shown(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  return text.substr(0, limit) + "... (" + std::to_string(text.size()) + " bytes)";
}

}  // namespace

CaseVerdict JudgeCase(const RobustnessCase& robustness_case, const InferenceExchange& exchange,
                      const RobustnessRunOptions& options) {
  CaseVerdict verdict;
  verdict.name = robustness_case.name;
  verdict.origin = robustness_case.origin;
  verdict.expect = robustness_case.expect;
  verdict.http_status = exchange.outcome == ExchangeOutcome::kAnswered ? exchange.http_status : 0;
  verdict.request = Shown(exchange.request_body, options.max_shown_bytes);
  verdict.answer = Shown(exchange.response_body, options.max_shown_bytes);

  if (exchange.outcome != ExchangeOutcome::kAnswered) {
    verdict.reason = ExchangeOutcomeName(exchange.outcome);
    if (!exchange.error.ok()) verdict.reason += ": " + exchange.error.message();
    return verdict;
  }
  const int status_class = exchange.http_status / 100;
  const std::string status = "HTTP " + std::to_string(exchange.http_status);
  if (status_class == 5) {
    verdict.reason = status + ": the server failed on this input";
    return verdict;
  }
  const bool rejected = status_class == 4;
  const bool accepted = status_class == 2;
  if (!rejected && !accepted) {
    verdict.reason = status + " is neither an answer nor a rejection";
    return verdict;
  }
  if (rejected) {
    verdict.passed = robustness_case.expect != CaseExpectation::kValid;
    verdict.reason =
        verdict.passed ? status + ": rejected" : status + ": a valid input was rejected";
    return verdict;
  }
  if (robustness_case.expect == CaseExpectation::kInvalid) {
    verdict.reason = status + ": an invalid input was accepted";
    return verdict;
  }
  if (!exchange.error.ok()) {
    verdict.reason = status + " with an unusable answer: " + exchange.error.message();
    return verdict;
  }
  if (exchange.predictions.size() != 1) {
    verdict.reason = status + " with " + std::to_string(exchange.predictions.size()) +
                     " predictions for one row";
    return verdict;
  }
  const std::size_t probabilities = exchange.predictions[0].probabilities.size();
  if (options.expected_probabilities > 0 && probabilities != options.expected_probabilities) {
    verdict.reason = status + " with " + std::to_string(probabilities) +
                     " class probabilities instead of " +
                     std::to_string(options.expected_probabilities);
    return verdict;
  }
  verdict.passed = true;
  verdict.reason = status + ": answered";
  return verdict;
}

std::vector<CaseVerdict> RunRobustnessCases(InferenceEndpoint& endpoint,
                                            const std::vector<RobustnessCase>& cases,
                                            const RobustnessRunOptions& options) {
  std::vector<CaseVerdict> verdicts;
  verdicts.reserve(cases.size());
  for (const auto& robustness_case : cases) {
    verdicts.push_back(
        JudgeCase(robustness_case, endpoint.Exchange(robustness_case.input), options));
  }
  return verdicts;
}

GateResult RobustnessGateResult(const std::vector<CaseVerdict>& verdicts, int max_failures) {
  GateResult result;
  result.gate = "robustness";
  nlohmann::json failures = nlohmann::json::array();
  std::string first_failure;
  for (const auto& verdict : verdicts) {
    if (verdict.passed) continue;
    if (first_failure.empty()) first_failure = "\"" + verdict.name + "\": " + verdict.reason;
    failures.push_back({{"name", verdict.name},
                        {"origin", verdict.origin},
                        {"expect", CaseExpectationName(verdict.expect)},
                        {"reason", verdict.reason},
                        {"httpStatus", verdict.http_status},
                        {"request", verdict.request},
                        {"answer", verdict.answer}});
  }
  const auto failed = static_cast<int>(failures.size());
  result.metrics["cases"] = static_cast<double>(verdicts.size());
  result.metrics["failed_cases"] = failed;
  result.details["failures"] = std::move(failures);
  if (failed > max_failures) {
    result.verdict = GateVerdict::kFailed;
    result.message = std::to_string(failed) + " of " + std::to_string(verdicts.size()) +
                     " robustness cases failed (at most " + std::to_string(max_failures) +
                     " allowed); first: " + first_failure;
  } else {
    result.verdict = GateVerdict::kPassed;
    result.message = std::to_string(verdicts.size() - static_cast<std::size_t>(failed)) + " of " +
                     std::to_string(verdicts.size()) + " robustness cases passed";
  }
  return result;
}

}  // namespace modelgate::gates
