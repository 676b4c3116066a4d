#include "gates/gate_log_report.h"

#include <cmath>
#include <limits>
#include <utility>

namespace modelgate::gates {
namespace {

// The most metrics taken from a log's report; a gate reports a few per feature at most.
constexpr std::size_t kMaxLogMetrics = 10000;

bool IsFullResult(const nlohmann::json& json, std::string_view gate) {
  if (!json.is_object()) return false;
  auto name = json.find("gate");
  auto verdict = json.find("verdict");
  return name != json.end() && name->is_string() && name->get<std::string>() == gate &&
         verdict != json.end() && verdict->is_string();
}

std::map<std::string, double> MetricsOf(const nlohmann::json& full) {
  std::map<std::string, double> metrics;
  auto it = full.find("metrics");
  if (it == full.end() || !it->is_object()) return metrics;
  for (const auto& [name, value] : it->items()) {
    if (metrics.size() >= kMaxLogMetrics) break;
    if (value.is_number()) {
      metrics[name] = value.get<double>();
    } else if (value.is_null()) {
      metrics[name] = std::numeric_limits<double>::quiet_NaN();
    }
  }
  return metrics;
}

std::string StatusOnly(const std::string& why) {
  return why + "; the verdict and metrics come from the ModelVersion's status";
}

}  // namespace

std::optional<nlohmann::json> FindFullResultInLog(std::string_view log, std::string_view gate) {
  if (log.size() > kMaxGateLogBytes) log = log.substr(0, kMaxGateLogBytes);
  std::optional<nlohmann::json> found;
  auto consider = [&](std::string_view text) {
    nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_discarded() && IsFullResult(parsed, gate)) found = std::move(parsed);
  };
  std::size_t open = std::string_view::npos;  // where the current indented object began
  for (std::size_t start = 0; start < log.size();) {
    std::size_t end = log.find('\n', start);
    if (end == std::string_view::npos) end = log.size();
    std::string_view line = log.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (open == std::string_view::npos && line == "{") {
      open = start;
    } else if (open != std::string_view::npos && line == "}") {
      // Indented nested objects close with indented braces, so this ends the top-level one.
      consider(log.substr(open, end - open));
      open = std::string_view::npos;
    } else if (open == std::string_view::npos && line.size() > 1 && line.front() == '{' &&
               line.back() == '}') {
      consider(line);
    }
    start = end + 1;
  }
  return found;
}

ValidationReport ReportFromStatus(const ModelVersion& mv, const std::map<GateName, GateLog>& logs,
                                  const std::string& generated_at) {
  ValidationReport report;
  report.model_version = mv;
  report.result = mv.status.phase ? ToString(*mv.status.phase) : "Pending";
  report.source = "the cluster: ModelVersion " + mv.metadata.namespace_ + "/" + mv.metadata.name +
                  " status and the logs of its validation Jobs";
  report.generated_at = generated_at;
  for (GateName name : kAllGates) {
    const GateStatus* status = mv.status.FindGate(name);
    GateReport gate;
    gate.gate = ToString(name);
    if (status == nullptr) {
      const bool enabled = GateSettings(mv.spec.gates, name).enabled;
      gate.phase = enabled ? "Pending" : "Skipped";
      gate.message =
          enabled ? "not run yet" : std::string("disabled (spec.gates.") + gate.gate + ".enabled)";
      gate.details_note = "no validation Job has run this gate";
      report.gates.push_back(std::move(gate));
      continue;
    }
    gate.phase = ToString(status->phase);
    gate.message = status->message;
    gate.metrics = status->metrics;
    gate.job = status->job;
    if (status->started_at && status->finished_at) {
      gate.seconds = static_cast<double>((*status->finished_at - *status->started_at).count());
    }
    auto log = logs.find(name);
    if (status->job.empty()) {
      gate.details_note = "no validation Job has run this gate";
    } else if (log == logs.end()) {
      gate.details_note = StatusOnly("the log of Job " + status->job + " was not read");
    } else if (!log->second.text.has_value()) {
      gate.details_note = StatusOnly(log->second.missing_reason);
    } else if (std::optional<nlohmann::json> full =
                   FindFullResultInLog(*log->second.text, gate.gate)) {
      gate.details = full->contains("details") ? (*full)["details"] : nlohmann::json::object();
      // The log carries every metric; the status may hold a truncated subset.
      std::map<std::string, double> metrics = MetricsOf(*full);
      if (!metrics.empty()) gate.metrics = std::move(metrics);
    } else {
      gate.details_note = StatusOnly("the log of Job " + status->job +
                                     " holds no full report of the gate (the validator ended "
                                     "before printing one)");
    }
    report.gates.push_back(std::move(gate));
  }
  return report;
}

}  // namespace modelgate::gates
