// A report from a cluster: the verdict and metrics of each gate from ModelVersion.status,
// and the per-check findings from the full report the validator printed to its Job's log
// (docs/validation-job.md). Logs go away with their pods (ttlSecondsAfterFinished), so every
// gate also stands on its status alone.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/gate_name.h"
#include "api/model_version.h"
#include "gates/validation_report.h"

namespace modelgate::gates {

// The most log text read per gate; a full report is far smaller.
inline constexpr std::size_t kMaxGateLogBytes = 16u << 20;

// The full result of `gate` in a validator's log: the last JSON object in it that names
// `gate` and carries a verdict. The validator prints it indented (a line "{" to a line "}")
// and may print other lines around it (stderr shares the log); a one-line object counts too.
// Returns nullopt when there is none. Reads at most kMaxGateLogBytes of `log`.
std::optional<nlohmann::json> FindFullResultInLog(std::string_view log, std::string_view gate);

struct GateLog {
  std::optional<std::string> text;  // the validator container's log, when it could be read
  std::string missing_reason;       // otherwise why not: "the pods of Job x are gone (...)"
};

// The report of `mv` as the cluster knows it. `logs` holds what could be learnt of each gate's
// Job log; a gate without an entry is reported from its status alone.
ValidationReport ReportFromStatus(const ModelVersion& mv, const std::map<GateName, GateLog>& logs,
                                  const std::string& generated_at);

}  // namespace modelgate::gates
