#include "gates/report_html.h"

#include <cmath>
#include <cstdio>

#include "api/build_info.h"
#include "gates/html_escape.h"
#include "gates/metric_thresholds.h"
#include "gates/report_gate_sections.h"

namespace modelgate::gates {
namespace {

constexpr char kStyle[] = R"(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       margin: 0 auto; max-width: 1100px; padding: 16px 24px 48px; background: #fff; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 0 0 8px; display: flex; gap: 10px; align-items: center; }
h3 { font-size: 15px; margin: 18px 0 6px; }
header p, footer { color: #555; margin: 2px 0; }
section.gate { border: 1px solid #ddd; border-radius: 6px; padding: 14px 18px; margin: 18px 0; }
table { border-collapse: collapse; margin: 6px 0 10px; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 4px 10px; text-align: left;
         vertical-align: top; }
th { background: #f5f5f5; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; border-radius: 10px; padding: 1px 10px; font-size: 12px;
         font-weight: 600; color: #fff; background: #888; }
.badge.passed { background: #2e7d32; } .badge.failed { background: #c62828; }
.badge.error { background: #6a1b9a; } .badge.drifted { background: #e15759; }
.badge.stable { background: #59a14f; } .badge.running, .badge.validating { background: #1565c0; }
.ok { color: #2e7d32; } .bad { color: #c62828; }
.message { margin: 4px 0 8px; }
.note { background: #fff8e1; border-left: 4px solid #f9a825; padding: 6px 10px; margin: 8px 0; }
figure { margin: 10px 0; } figcaption { font-size: 13px; color: #444; }
svg.chart { max-width: 100%; height: auto; font: 11px system-ui, sans-serif; }
pre { white-space: pre-wrap; word-break: break-all; margin: 0; font-size: 12px;
      max-width: 380px; }
details > summary { cursor: pointer; color: #1565c0; margin: 6px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 6px 24px; }
)";

std::string Capitalised(const std::string& gate) {
  if (gate.empty()) return gate;
  std::string out = gate;
  if (out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string GateTitle(const std::string& gate) {
  return gate == "artifact" ? "Artifact check" : Capitalised(gate) + " gate";
}

std::string Seconds(const std::optional<double>& seconds) {
  if (!seconds) return "";
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f s", *seconds);
  return buffer;
}

// "≤ 0.25 (spec.gates.data.maxDriftShare)" and whether `value` keeps within it.
std::string ThresholdCell(const MetricThreshold& threshold, double value,
                          const std::map<std::string, double>& metrics, bool* any_outside) {
  std::optional<double> limit = EffectiveLimit(threshold, metrics);
  std::string text = threshold.at_most ? "\xE2\x89\xA4 " : "\xE2\x89\xA5 ";  // ≤ ≥
  if (!threshold.relative_to.empty()) {
    text += threshold.relative_to;
    if (threshold.limit != 0) {
      text += (threshold.limit > 0 ? " + " : " \xE2\x88\x92 ") +
              FormatReportNumber(std::fabs(threshold.limit));
    }
    if (limit) text += " = " + FormatReportNumber(*limit);
  } else {
    text += FormatReportNumber(threshold.limit);
  }
  std::string cell = EscapeHtml(text) + " <small>(" + EscapeHtml(threshold.field) + ")</small>";
  if (limit && std::isfinite(value)) {
    const bool within = threshold.at_most ? value <= *limit : value >= *limit;
    if (!within) *any_outside = true;
    cell += within ? " <span class=\"ok\">\xE2\x9C\x93</span>"
                   : " <span class=\"bad\">\xE2\x9C\x97</span>";
  }
  return cell;
}

// The gate's headline metrics (per-feature ones, "driftScore.age", are in the gate's own
// tables) with their thresholds.
std::string MetricsTable(const GateReport& gate, const ModelVersionSpec& spec) {
  std::vector<MetricThreshold> thresholds;
  if (Result<GateName> name = GateNameFromString(gate.gate); name.ok()) {
    thresholds = GateThresholds(*name, spec);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& [metric, value] : gate.metrics) {
    if (metric.find('.') != std::string::npos) continue;
    if (rows.size() >= kMaxReportRows) break;
    std::string limits;
    bool outside = false;
    for (const MetricThreshold* t : FindThresholds(thresholds, metric)) {
      limits += (limits.empty() ? "" : "<br/>") + ThresholdCell(*t, value, gate.metrics, &outside);
    }
    const std::string shown = EscapeHtml(FormatReportNumber(value));
    rows.push_back(
        {EscapeHtml(metric), outside ? "<span class=\"bad\">" + shown + "</span>" : shown, limits});
  }
  if (rows.empty()) return "<p>No metrics were recorded.</p>\n";
  return HtmlTable({"Metric", "Value", "Threshold"}, rows, "metrics");
}

std::string GateSection(const GateReport& gate, const ModelVersionSpec& spec) {
  std::string out = "<section class=\"gate\" id=\"gate-" + EscapeHtml(gate.gate) + "\">\n<h2>" +
                    EscapeHtml(GateTitle(gate.gate)) + " " + VerdictBadge(gate.phase);
  if (gate.seconds) out += " <small>" + Seconds(gate.seconds) + "</small>";
  out += "</h2>\n";
  if (!gate.job.empty()) out += "<p><small>Job " + EscapeHtml(gate.job) + "</small></p>\n";
  if (!gate.message.empty()) out += "<p class=\"message\">" + EscapeHtml(gate.message) + "</p>\n";
  if (!gate.details_note.empty()) {
    out += "<p class=\"note\">" + EscapeHtml(gate.details_note) + "</p>\n";
  }
  if (gate.phase == "Skipped" || gate.phase == "Pending") return out + "</section>\n";
  out += MetricsTable(gate, spec);
  if (gate.gate == "data") {
    out += DataGateSection(gate, spec);
  } else if (gate.gate == "quality") {
    out += QualityGateSection(gate, spec);
  } else if (gate.gate == "robustness") {
    out += RobustnessGateSection(gate);
  } else if (gate.gate == "stress") {
    out += StressGateSection(gate, spec);
  } else if (gate.gate == "artifact") {
    out += ArtifactSection(gate);
  }
  return out + "</section>\n";
}

std::string SummaryTable(const ValidationReport& report) {
  std::vector<std::vector<std::string>> rows;
  for (const GateReport& gate : report.gates) {
    rows.push_back({"<a href=\"#gate-" + EscapeHtml(gate.gate) + "\">" +
                        EscapeHtml(GateTitle(gate.gate)) + "</a>",
                    VerdictBadge(gate.phase), EscapeHtml(Seconds(gate.seconds)),
                    EscapeHtml(TruncateUtf8(gate.message, 300))});
  }
  return HtmlTable({"Step", "Verdict", "Time", "Message"}, rows, "summary");
}

}  // namespace

std::string RenderReportHtml(const ValidationReport& report) {
  const ModelVersion& mv = report.model_version;
  const std::string object =
      (mv.metadata.namespace_.empty() ? "" : mv.metadata.namespace_ + "/") + mv.metadata.name;
  std::string out =
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
      "<meta charset=\"utf-8\"/>\n"
      // Belt and braces: even a bug in escaping could not run script or load anything.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\"/>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
      "<title>modelgate report: " +
      EscapeHtml(object) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<header>\n";
  out += "<h1>ModelVersion " + EscapeHtml(object) + " " + VerdictBadge(report.result) + "</h1>\n";
  out += "<p>Model <b>" + EscapeHtml(mv.spec.model) + "</b> version <b>" +
         EscapeHtml(mv.spec.version) + "</b></p>\n";
  out += "<p>Artifact " + EscapeHtml(mv.spec.artifact.uri);
  if (mv.spec.artifact.digest)
    out += " <small>" + EscapeHtml(*mv.spec.artifact.digest) + "</small>";
  out += "</p>\n";
  if (!report.source.empty()) out += "<p>From " + EscapeHtml(report.source) + "</p>\n";
  out += "</header>\n<main>\n" + SummaryTable(report);
  for (const GateReport& gate : report.gates) out += GateSection(gate, mv.spec);
  out += "</main>\n<footer>Generated";
  if (!report.generated_at.empty()) out += " at " + EscapeHtml(report.generated_at);
  out += " by modelgate " + EscapeHtml(GetBuildInfo().version) + ".</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace modelgate::gates
