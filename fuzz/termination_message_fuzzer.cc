// Termination messages of validation pods: the compact gate result a validator writes, which
// the operator turns into ModelVersion.status. A pod runs the candidate's sidecar beside the
// validator, so the message is outside input. The first input byte chooses the gate the
// operator expects. Beyond not crashing, a result that parses respects the bounds of
// job_outcome.h, is fit for a status write (valid UTF-8), and written again by the
// validator's encoder it parses to the same verdict and metrics.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api/gate_name.h"
#include "api/model_version.h"
#include "fuzz/invariant.h"
#include "gates/gate_result.h"
#include "operator/job_outcome.h"

namespace {

using modelgate::GateName;
using modelgate::GatePhase;
namespace op = modelgate::op;

constexpr GateName kGates[] = {GateName::kData, GateName::kQuality, GateName::kRobustness,
                               GateName::kStress};

modelgate::gates::GateVerdict VerdictOf(GatePhase phase) {
  switch (phase) {
    case GatePhase::kPassed:
      return modelgate::gates::GateVerdict::kPassed;
    case GatePhase::kFailed:
      return modelgate::gates::GateVerdict::kFailed;
    default:
      return modelgate::gates::GateVerdict::kError;
  }
}

bool Utf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  const GateName gate = kGates[bytes[0] % 4];
  const std::string_view text(reinterpret_cast<const char*>(bytes + 1), size - 1);

  modelgate::Result<op::ValidatorResult> result = op::ParseValidatorResult(text, gate);
  if (!result.ok()) {
    MODELGATE_FUZZ_EXPECT(!result.status().message().empty(), "a refusal says why");
    MODELGATE_FUZZ_EXPECT(Utf8(result.status().message()), "a refusal can go into a condition");
    return 0;
  }
  MODELGATE_FUZZ_EXPECT(result->verdict == GatePhase::kPassed ||
                            result->verdict == GatePhase::kFailed ||
                            result->verdict == GatePhase::kError,
                        "a verdict is Passed, Failed or Error");
  // Cut appends "..." to a message it shortens.
  MODELGATE_FUZZ_EXPECT(result->message.size() <= op::kMaxResultMessageBytes + 3,
                        "the message is bounded");
  MODELGATE_FUZZ_EXPECT(Utf8(result->message), "the message can go into a status");
  MODELGATE_FUZZ_EXPECT(result->metrics.size() <= op::kMaxResultMetrics, "metrics are bounded");
  for (const auto& [name, value] : result->metrics) {
    MODELGATE_FUZZ_EXPECT(!name.empty() && name.size() <= op::kMaxMetricNameBytes,
                          "metric names are bounded");
    MODELGATE_FUZZ_EXPECT(std::isfinite(value), "metrics are finite");
    MODELGATE_FUZZ_EXPECT(Utf8(name), "a metric name can go into a status");
  }

  modelgate::gates::GateResult again;
  again.gate = modelgate::ToString(gate);
  again.verdict = VerdictOf(result->verdict);
  again.message = result->message;
  again.metrics = result->metrics;
  const std::string compact = modelgate::gates::CompactResultJson(again);
  MODELGATE_FUZZ_EXPECT(compact.size() <= modelgate::gates::kMaxCompactResultBytes,
                        "a compact result fits a termination message");
  modelgate::Result<op::ValidatorResult> reparsed = op::ParseValidatorResult(compact, gate);
  MODELGATE_FUZZ_EXPECT(reparsed.ok(), "what the validator writes, the operator reads");
  MODELGATE_FUZZ_EXPECT(reparsed->verdict == result->verdict, "the verdict survives");
  if (compact.find("\"truncated\"") == std::string::npos) {
    MODELGATE_FUZZ_EXPECT(reparsed->metrics == result->metrics, "the metrics survive");
  }
  return 0;
}
