#include "gates/gate_result.h"

#include <cmath>
#include <string_view>

namespace modelgate::gates {

const char* GateVerdictName(GateVerdict verdict) {
  switch (verdict) {
    case GateVerdict::kPassed:
      return "Passed";
    case GateVerdict::kFailed:
      return "Failed";
    case GateVerdict::kError:
      return "Error";
  }
  return "Error";
}

namespace {

nlohmann::json MetricsJson(const std::map<std::string, double>& metrics) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : metrics) {
    // JSON has no NaN or infinity; null says "not measurable" without breaking parsers.
    out[name] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
  }
  return out;
}

nlohmann::json CompactJson(const GateResult& result, const std::string& message,
                           const std::map<std::string, double>& metrics) {
  nlohmann::json out;
  out["gate"] = result.gate;
  out["verdict"] = GateVerdictName(result.verdict);
  out["message"] = message;
  out["metrics"] = MetricsJson(metrics);
  return out;
}

// Cuts at a UTF-8 character boundary so the shortened message stays valid UTF-8.
std::string ShortenUtf8(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

}  // namespace

std::string CompactResultJson(const GateResult& result, std::size_t max_bytes) {
  std::string message = result.message;
  std::map<std::string, double> metrics = result.metrics;
  std::string text = CompactJson(result, message, metrics)
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() <= max_bytes) return text;
  message = ShortenUtf8(message, 512);
  while (true) {
    nlohmann::json out = CompactJson(result, message, metrics);
    out["truncated"] = true;
    text = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() <= max_bytes || metrics.empty()) break;
    metrics.erase(std::prev(metrics.end()));
  }
  if (text.size() > max_bytes) {
    // Only a gate name or message escaping badly can get here; keep the verdict above all.
    nlohmann::json out = CompactJson(result, ShortenUtf8(message, 64), {});
    out["gate"] = ShortenUtf8(result.gate, 64);
    out["truncated"] = true;
    text = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return text;
}

nlohmann::json FullResultJson(const GateResult& result) {
  nlohmann::json out = CompactJson(result, result.message, result.metrics);
  out["details"] = result.details;
  return out;
}

}  // namespace modelgate::gates
