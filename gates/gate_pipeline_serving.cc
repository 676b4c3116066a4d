#include "gates/gate_pipeline_serving.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

#include "gates/dataset.h"
#include "gates/gate_pipeline_runner.h"
#include "gates/inference_protocol.h"
#include "gates/latency_curve.h"

namespace modelgate::gates {
namespace {

std::string Num(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4g", value);
  return buffer;
}

}  // namespace

Result<StressTarget> StressTargetFor(const std::string& url, const ModelVersionSpec& spec,
                                     const InferenceBatch& row) {
  EndpointAddress address = ParseEndpointAddress(url);
  constexpr std::string_view kHttp = "http://";
  const std::string& base = address.base_url;
  if (base.rfind(kHttp, 0) != 0) {
    return Status::InvalidArgument(url + ": the stress gate needs an http:// endpoint");
  }
  const std::string authority = base.substr(kHttp.size());
  const std::size_t colon = authority.rfind(':');
  StressTarget target;
  target.host = authority.substr(0, colon);
  target.port = 80;
  if (colon != std::string::npos) {
    try {
      target.port = std::stoi(authority.substr(colon + 1));
    } catch (const std::exception&) {
      target.port = 0;
    }
  }
  if (target.host.empty() || target.port <= 0 || target.port > 65535) {
    return Status::InvalidArgument(url + ": not http://host:port");
  }
  auto protocol = MakeInferenceProtocol(ToString(spec.serving.protocol),
                                        address.model_name.value_or(EffectiveModelName(spec)));
  if (!protocol.ok()) return protocol.status();
  target.path = (*protocol)->InferPath();
  target.body = (*protocol)->EncodeRequest(row);
  return target;
}

GateResult JudgeStress(const StressGateSpec& spec, const LoadReport& candidate,
                       const LoadReport* champion) {
  GateResult result;
  result.gate = "stress";
  const LatencySummary latency = candidate.latency.Summarize();
  auto ms = [](std::int64_t ns) { return static_cast<double>(ns) / 1e6; };
  result.metrics = {{"p50Ms", ms(latency.p50)},
                    {"p90Ms", ms(latency.p90)},
                    {"p95Ms", ms(latency.p95)},
                    {"p99Ms", ms(latency.p99)},
                    {"p999Ms", ms(latency.p999)},
                    {"maxMs", ms(latency.max)},
                    {"errorRate", candidate.error_rate()},
                    {"requestsPerSecond", candidate.throughput()},
                    {"requests", static_cast<double>(candidate.completed())}};
  result.details["errorSamples"] = candidate.error_samples;
  result.details["latencyPercentiles"] =
      LatencyPercentileCurveJson(LatencyPercentileCurve(candidate.latency));
  std::vector<std::string> failed;
  std::vector<std::string> passed;
  auto check = [&](bool ok, std::string message) {
    (ok ? passed : failed).push_back(std::move(message));
  };
  if (candidate.completed() == 0) failed.push_back("no request completed");
  auto limit = [&](const char* name, double value, const std::optional<double>& max) {
    if (!max) return;
    check(value <= *max, std::string(name) + " " + Num(value) + " ms" +
                             (value <= *max ? " <= " : " > ") + "max " + Num(*max) + " ms");
  };
  limit("p50", ms(latency.p50), spec.max_p50_ms);
  limit("p95", ms(latency.p95), spec.max_p95_ms);
  limit("p99", ms(latency.p99), spec.max_p99_ms);
  const double error_rate = candidate.error_rate();
  check(error_rate <= spec.max_error_rate,
        "error rate " + Num(error_rate) + (error_rate <= spec.max_error_rate ? " <= " : " > ") +
            "max " + Num(spec.max_error_rate));
  if (champion != nullptr && spec.compare_to.has_value()) {
    const double champion_p99 = ms(champion->latency.Summarize().p99);
    result.metrics["championP99Ms"] = champion_p99;
    result.details["championLatencyPercentiles"] =
        LatencyPercentileCurveJson(LatencyPercentileCurve(champion->latency));
    const double ratio = champion_p99 > 0 ? ms(latency.p99) / champion_p99 : INFINITY;
    result.metrics["p99Ratio"] = ratio;
    const double allowed = spec.compare_to->max_p99_ratio;
    check(ratio <= allowed, "p99 " + Num(ms(latency.p99)) + " ms is " + Num(ratio) +
                                "x the champion's " + Num(champion_p99) + " ms" +
                                (ratio <= allowed ? " <= " : " > ") + "max ratio " + Num(allowed));
  }
  const std::vector<std::string>& shown = failed.empty() ? passed : failed;
  for (const std::string& part : shown)
    result.message += (result.message.empty() ? "" : "; ") + part;
  result.verdict = failed.empty() ? GateVerdict::kPassed : GateVerdict::kFailed;
  return result;
}

GateResult RunStressGate(const StressGateSpec& spec, const StressTarget& candidate,
                         const StressTarget* champion) {
  LoadProfile profile;
  profile.loop = spec.mode == StressMode::kOpen ? LoadLoop::kOpen : LoadLoop::kClosed;
  profile.connections = spec.concurrency;
  profile.requests_per_second = spec.rate.value_or(0);
  auto measure = [&](const StressTarget& target, const char* whose) -> Result<LoadReport> {
    if (spec.warmup_seconds > 0) {
      LoadProfile warmup = profile;
      warmup.duration = std::chrono::seconds(spec.warmup_seconds);
      auto warm = RunLoad(target, warmup);
      if (!warm.ok()) return warm.status().WithContext(whose);
    }
    profile.duration = std::chrono::seconds(spec.duration_seconds);
    auto report = RunLoad(target, profile);
    if (!report.ok()) return report.status().WithContext(whose);
    return report;
  };
  auto error = [](const Status& status) {
    GateResult result;
    result.gate = "stress";
    result.verdict = GateVerdict::kError;
    result.message = status.message();
    return result;
  };
  auto measured = measure(candidate, "candidate");
  if (!measured.ok()) return error(measured.status());
  std::optional<LoadReport> champion_report;
  if (champion != nullptr) {
    auto report = measure(*champion, "champion");
    if (!report.ok()) return error(report.status());
    champion_report = std::move(report).value();
  }
  return JudgeStress(spec, *measured, champion_report ? &*champion_report : nullptr);
}

}  // namespace modelgate::gates
