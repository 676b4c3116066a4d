#include "gates/gate_result.h"

#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

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

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string CompactResultJson(const GateResult& result, std::size_t max_bytes) {
  std::string text = Dump(CompactJson(result, result.message, result.metrics));
  if (text.size() <= max_bytes && result.metrics.size() <= kMaxCompactResultMetrics) return text;
  // Keep the headline numbers (names without a '.') and as many per-column ones
  // ("drift_score.age") as fit.
  const std::string message = ShortenUtf8(result.message, 512);
  std::map<std::string, double> headline;
  std::vector<std::pair<std::string, double>> per_column;
  for (const auto& [name, value] : result.metrics) {
    if (name.find('.') == std::string::npos) {
      headline.emplace(name, value);
    } else {
      per_column.emplace_back(name, value);
    }
  }
  auto build = [&](const std::map<std::string, double>& metrics) {
    nlohmann::json out = CompactJson(result, message, metrics);
    out["truncated"] = true;
    return Dump(out);
  };
  while (headline.size() > kMaxCompactResultMetrics) headline.erase(std::prev(headline.end()));
  text = build(headline);
  while (text.size() > max_bytes && !headline.empty()) {
    headline.erase(std::prev(headline.end()));
    text = build(headline);
  }
  if (text.size() > max_bytes) {
    // Only an enormous gate name can get here; keep the verdict above all.
    nlohmann::json out = CompactJson(result, ShortenUtf8(message, 64), {});
    out["gate"] = ShortenUtf8(result.gate, 64);
    out["truncated"] = true;
    return Dump(out);
  }
  std::size_t budget = max_bytes - text.size();
  std::map<std::string, double> metrics = headline;
  for (const auto& [name, value] : per_column) {
    if (metrics.size() >= kMaxCompactResultMetrics) break;
    // {"name":value} is one byte longer than the ,"name":value it adds.
    const std::size_t cost = Dump(MetricsJson({{name, value}})).size();
    if (cost > budget) continue;
    metrics.emplace(name, value);
    budget -= cost;
  }
  text = build(metrics);
  while (text.size() > max_bytes && metrics.size() > headline.size()) {
    for (auto it = metrics.end(); it != metrics.begin();) {
      --it;
      if (!headline.contains(it->first)) {
        metrics.erase(it);
        break;
      }
    }
    text = build(metrics);
  }
  return text;
}

nlohmann::json FullResultJson(const GateResult& result) {
  nlohmann::json out = CompactJson(result, result.message, result.metrics);
  out["details"] = result.details;
  return out;
}

}  // namespace modelgate::gates
