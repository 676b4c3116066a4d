#include "gates/report_gate_sections.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>

#include "gates/drift_histogram.h"
#include "gates/drift_method.h"
#include "gates/html_escape.h"
#include "gates/latency_curve.h"
#include "gates/quality_gate.h"
#include "gates/report_html.h"
#include "gates/svg_chart.h"

namespace modelgate::gates {
namespace {

using Json = nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// details[key] when details is an object holding it, else nullptr: a report read from a log
// may have any shape.
const Json* Field(const std::optional<Json>& details, const char* key) {
  if (!details || !details->is_object()) return nullptr;
  auto it = details->find(key);
  return it == details->end() ? nullptr : &*it;
}

const Json* Field(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string Text(const Json& object, const char* key) {
  const Json* value = Field(object, key);
  if (value == nullptr) return "";
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number()) return FormatReportNumber(value->get<double>());
  if (value->is_boolean()) return value->get<bool>() ? "true" : "false";
  return "";
}

double Number(const Json& object, const char* key) {
  const Json* value = Field(object, key);
  return value != nullptr && value->is_number() ? value->get<double>() : kNaN;
}

std::optional<bool> Flag(const Json& object, const char* key) {
  const Json* value = Field(object, key);
  if (value == nullptr || !value->is_boolean()) return std::nullopt;
  return value->get<bool>();
}

double Metric(const GateReport& gate, const std::string& name) {
  auto it = gate.metrics.find(name);
  return it == gate.metrics.end() ? kNaN : it->second;
}

// The training null rate of `column`, under "nullRate.<column>". Earlier validators
// camelCased the column name too ("nullRate.meanRadius" for "mean_radius"); results they left
// in a status or a log are still found.
double NullRate(const GateReport& gate, const std::string& column) {
  const double exact = Metric(gate, "nullRate." + column);
  if (!std::isnan(exact)) return exact;
  std::string camel;
  bool upper = false;
  for (char c : column) {
    if (c == '_') {
      upper = true;
      continue;
    }
    camel += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return Metric(gate, "nullRate." + camel);
}

std::string Note(const std::string& text) {
  return "<p class=\"note\">" + EscapeHtml(text) + "</p>\n";
}

std::string NotShown(std::size_t total, std::size_t shown, const std::string& what) {
  if (total <= shown) return "";
  return Note(std::to_string(total - shown) + " more " + what + " not shown");
}

std::string Pre(const std::string& text) {
  return "<pre>" + EscapeHtml(TruncateUtf8(text, 320)) + "</pre>";
}

std::string Figure(const std::string& caption, const std::string& svg) {
  return "<figure>\n" + svg + "<figcaption>" + EscapeHtml(caption) + "</figcaption>\n</figure>\n";
}

std::string DriftRule(const std::string& method, double threshold) {
  Result<DriftMethod> parsed = ParseDriftMethod(method);
  if (!parsed.ok() || !std::isfinite(threshold)) return "";
  return ScoreIsPValue(*parsed) ? "drift when p < " + FormatReportNumber(threshold)
                                : "drift when \xE2\x89\xA5 " + FormatReportNumber(threshold);
}

}  // namespace

std::string HtmlTable(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows,
                      const std::string& css_class) {
  std::string out = "<table";
  if (!css_class.empty()) out += " class=\"" + EscapeHtml(css_class) + "\"";
  out += ">\n<thead><tr>";
  for (const std::string& h : header) out += "<th>" + EscapeHtml(h) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const std::string& cell : row) out += "<td>" + cell + "</td>";
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string VerdictBadge(const std::string& phase) {
  std::string css;
  for (char c : phase) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) css += c;
  }
  return "<span class=\"badge " + css + "\">" + EscapeHtml(phase) + "</span>";
}

std::string DataGateSection(const GateReport& gate, const ModelVersionSpec&) {
  std::string out = "<h3>Drift per feature</h3>\n";
  std::vector<std::vector<std::string>> rows;
  std::string charts;        // of drifted features: shown
  std::string other_charts;  // of the others: folded away, so the drift stands out
  std::string problems;      // histograms that could not be read
  std::size_t chart_count = 0, drift_count = 0, other_count = 0;
  const Json* drift = Field(gate.details, "drift");
  if (drift != nullptr && drift->is_array()) {
    for (const Json& entry : *drift) drift_count += entry.is_object() ? 1 : 0;
    for (const Json& entry : *drift) {
      if (rows.size() >= kMaxReportRows) break;
      if (!entry.is_object()) continue;
      const std::string column = Text(entry, "column");
      const std::string method = Text(entry, "method");
      const double threshold = Number(entry, "threshold");
      const std::optional<bool> drifted = Flag(entry, "drifted");
      rows.push_back({EscapeHtml(column), EscapeHtml(method),
                      EscapeHtml(FormatReportNumber(Number(entry, "score"))),
                      EscapeHtml(DriftRule(method, threshold)),
                      drifted ? VerdictBadge(*drifted ? "Drifted" : "Stable") : "",
                      EscapeHtml(FormatReportNumber(NullRate(gate, column)))});
      const Json* histogram = Field(entry, "histogram");
      if (histogram == nullptr || chart_count >= kMaxReportCharts) continue;
      Result<DriftHistogram> parsed = DriftHistogramFromJson(*histogram);
      if (!parsed.ok()) {
        problems += Note("feature " + column + ": " + parsed.status().message());
        continue;
      }
      ++chart_count;
      if (!drifted.value_or(false)) ++other_count;
      (drifted.value_or(false) ? charts : other_charts) +=
          Figure(column + ": " + method + " " + Text(entry, "score") +
                     (drifted.value_or(false) ? ", drifted" : ", no drift"),
                 DriftHistogramSvg(*parsed, column));
    }
  } else {
    // From the status alone: the score of each feature, without the method.
    for (const auto& [name, value] : gate.metrics) {
      if (!name.starts_with("driftScore.") || rows.size() >= kMaxReportRows) continue;
      const std::string column = name.substr(11);
      rows.push_back({EscapeHtml(column), "", EscapeHtml(FormatReportNumber(value)), "", "",
                      EscapeHtml(FormatReportNumber(NullRate(gate, column)))});
      ++drift_count;
    }
  }
  if (rows.empty()) {
    out += "<p>No feature was tested for drift.</p>\n";
  } else {
    out += HtmlTable({"Feature", "Method", "Score", "Rule", "Drift", "Null rate (training)"}, rows,
                     "drift");
    out += NotShown(drift_count, rows.size(), "features");
  }
  out += problems;
  if (chart_count > 0) {
    out += "<h3>Distributions: reference (production) against training</h3>\n";
    if (!charts.empty()) out += "<div class=\"charts\">\n" + charts + "</div>\n";
    if (!other_charts.empty()) {
      out += "<details>\n<summary>" +
             EscapeHtml("The " + std::to_string(other_count) + " features without drift") +
             "</summary>\n<div class=\"charts\">\n" + other_charts + "</div>\n</details>\n";
    }
    out += NotShown(drift_count, chart_count, "histograms");
  }
  const Json* findings = Field(gate.details, "findings");
  if (findings != nullptr && findings->is_array() && !findings->empty()) {
    // Failures first and in sight; notes (info) folded away.
    std::vector<std::vector<std::string>> failing, notes;
    for (const Json& f : *findings) {
      if (failing.size() + notes.size() >= kMaxReportRows) break;
      if (!f.is_object()) continue;
      const std::string severity = Text(f, "severity");
      const bool info = severity != "fail" && severity != "error";
      (info ? notes : failing)
          .push_back({VerdictBadge(severity == "fail"    ? "Failed"
                                   : severity == "error" ? "Error"
                                                         : "Info"),
                      EscapeHtml(Text(f, "check")), EscapeHtml(Text(f, "column")),
                      EscapeHtml(Text(f, "message"))});
    }
    const std::vector<std::string> header = {"Severity", "Check", "Column", "Finding"};
    out += "<h3>Findings</h3>\n";
    if (!failing.empty()) out += HtmlTable(header, failing);
    if (!notes.empty()) {
      out += "<details>\n<summary>" + EscapeHtml(std::to_string(notes.size()) + " notes") +
             "</summary>\n" + HtmlTable(header, notes) + "</details>\n";
    }
    out += NotShown(findings->size(), failing.size() + notes.size(), "findings");
  }
  return out;
}

std::string QualityGateSection(const GateReport& gate, const ModelVersionSpec& spec) {
  std::string out;
  const ModelTask task = spec.schema ? spec.schema->task : ModelTask::kClassification;
  std::string metric = ToString(spec.gates.quality.metric.value_or(DefaultQualityMetric(task)));
  if (const Json* named = Field(gate.details, "metric"); named != nullptr && named->is_string()) {
    metric = named->get<std::string>();
  }
  std::vector<Bar> bars;
  auto add = [&](const std::string& label, const std::string& name, const char* color) {
    const double value = Metric(gate, name);
    if (!std::isnan(value)) bars.push_back({label, value, color});
  };
  add("candidate (hold-out)", metric, "#f28e2b");
  add("candidate (training)", PrefixedMetricName("train", metric), "#ffbe7d");
  add("naive baseline", PrefixedMetricName("baseline", metric), "#9d9d9d");
  add("champion", PrefixedMetricName("champion", metric), "#4e79a7");
  if (!bars.empty()) {
    const double threshold = spec.gates.quality.threshold.value_or(kNaN);
    out += "<h3>" + EscapeHtml(metric) + " on the same rows</h3>\n";
    out +=
        Figure(metric + " of the candidate against the naive baseline and the champion",
               BarChartSvg(metric, bars, threshold, "threshold " + FormatReportNumber(threshold)));
  }
  const Json* checks = Field(gate.details, "checks");
  if (checks != nullptr && checks->is_array()) {
    std::vector<std::vector<std::string>> rows;
    for (const Json& check : *checks) {
      if (rows.size() >= kMaxReportRows) break;
      if (!check.is_object()) continue;
      const std::optional<bool> passed = Flag(check, "passed");
      rows.push_back({EscapeHtml(Text(check, "check")),
                      passed ? VerdictBadge(*passed ? "Passed" : "Failed") : "",
                      EscapeHtml(Text(check, "message"))});
    }
    out += "<h3>Checks</h3>\n" + HtmlTable({"Check", "Verdict", "Detail"}, rows);
  }
  const Json* candidate = Field(gate.details, "candidate");
  const Json* notes = candidate != nullptr ? Field(*candidate, "notes") : nullptr;
  if (notes != nullptr && notes->is_array() && !notes->empty()) {
    out += "<h3>Notes</h3>\n<ul>\n";
    std::size_t shown = 0;
    for (const Json& note : *notes) {
      if (shown++ >= kMaxReportRows) break;
      if (note.is_string()) out += "<li>" + EscapeHtml(note.get<std::string>()) + "</li>\n";
    }
    out += "</ul>\n";
  }
  return out;
}

std::string RobustnessGateSection(const GateReport& gate) {
  std::string out;
  const double total = Metric(gate, "casesTotal");
  const double failed = Metric(gate, "casesFailed");
  const Json* failures = Field(gate.details, "failures");
  std::map<std::string, double> by_origin;
  if (failures != nullptr && failures->is_array()) {
    for (const Json& f : *failures) {
      if (f.is_object()) by_origin[Text(f, "origin").empty() ? "(unknown)" : Text(f, "origin")]++;
    }
  }
  if (!std::isnan(total) && !std::isnan(failed)) {
    std::vector<Bar> bars = {{"cases passed", total - failed, "#59a14f"},
                             {"cases failed", failed, "#e15759"}};
    std::vector<std::pair<std::string, double>> origins(by_origin.begin(), by_origin.end());
    std::stable_sort(origins.begin(), origins.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (std::size_t i = 0; i < origins.size() && i < 12; ++i) {
      bars.push_back({"failed: " + origins[i].first, origins[i].second, "#ff9d9a"});
    }
    out += Figure("Robustness cases by outcome, failures by origin",
                  BarChartSvg("Robustness cases", bars, kNaN, ""));
  }
  if (failures == nullptr || !failures->is_array()) return out;
  if (failures->empty()) return out + "<p>Every case was answered as expected.</p>\n";
  std::vector<std::vector<std::string>> rows;
  for (const Json& f : *failures) {
    if (rows.size() >= kMaxReportRows) break;
    if (!f.is_object()) continue;
    const double status = Number(f, "httpStatus");
    rows.push_back(
        {EscapeHtml(Text(f, "name")), EscapeHtml(Text(f, "origin")), EscapeHtml(Text(f, "expect")),
         std::isnan(status) || status == 0 ? "none" : EscapeHtml(FormatReportNumber(status)),
         EscapeHtml(Text(f, "reason")), Pre(Text(f, "request")), Pre(Text(f, "answer"))});
  }
  // The first few in sight; the rest, often the same failure again, folded.
  constexpr std::size_t kShown = 5;
  const std::vector<std::string> header = {"Case", "Origin",  "Expected", "HTTP",
                                           "Why",  "Request", "Answer"};
  out += "<h3>Failed cases</h3>\n";
  out +=
      HtmlTable(header, {rows.begin(), rows.begin() + std::min(rows.size(), kShown)}, "failures");
  if (rows.size() > kShown) {
    out += "<details>\n<summary>" +
           EscapeHtml("The other " + std::to_string(rows.size() - kShown) + " failed cases") +
           "</summary>\n" + HtmlTable(header, {rows.begin() + kShown, rows.end()}, "failures") +
           "</details>\n";
  }
  return out + NotShown(failures->size(), rows.size(), "failed cases");
}

std::string StressGateSection(const GateReport& gate, const ModelVersionSpec& spec) {
  std::string out = "<h3>Latency distribution</h3>\n";
  auto curve_of = [&](const char* key, std::string* problem) -> std::vector<LatencyPercentile> {
    const Json* json = Field(gate.details, key);
    if (json == nullptr) return {};
    Result<std::vector<LatencyPercentile>> curve = LatencyPercentileCurveFromJson(*json);
    if (!curve.ok()) {
      *problem = curve.status().message();
      return {};
    }
    return std::move(curve).value();
  };
  std::string problem;
  std::vector<LatencyPercentile> candidate = curve_of("latencyPercentiles", &problem);
  std::vector<LatencyPercentile> champion = curve_of("championLatencyPercentiles", &problem);
  if (!problem.empty()) out += Note(problem);
  std::string caption = "Latency of answered requests by percentile (log scale of the tail)";
  if (candidate.empty()) {
    // The percentiles the status keeps still draw the shape of the tail.
    const std::pair<double, const char*> kPoints[] = {{50, "p50Ms"},    {90, "p90Ms"},
                                                      {95, "p95Ms"},    {99, "p99Ms"},
                                                      {99.9, "p999Ms"}, {100, "maxMs"}};
    for (const auto& [percentile, name] : kPoints) {
      const double ms = Metric(gate, name);
      if (std::isfinite(ms)) candidate.push_back({percentile, ms});
    }
    if (!candidate.empty()) caption += ", from the recorded percentiles only";
  }
  std::vector<LatencyBudget> budgets;
  const StressGateSpec& stress = spec.gates.stress;
  if (stress.max_p50_ms)
    budgets.push_back(
        {"max p50 " + FormatReportNumber(*stress.max_p50_ms) + " ms", 50, *stress.max_p50_ms});
  if (stress.max_p95_ms)
    budgets.push_back(
        {"max p95 " + FormatReportNumber(*stress.max_p95_ms) + " ms", 95, *stress.max_p95_ms});
  if (stress.max_p99_ms)
    budgets.push_back(
        {"max p99 " + FormatReportNumber(*stress.max_p99_ms) + " ms", 99, *stress.max_p99_ms});
  out += Figure(caption, LatencyCurveSvg(candidate, champion, budgets));
  const Json* samples = Field(gate.details, "errorSamples");
  if (samples != nullptr && samples->is_array() && !samples->empty()) {
    out += "<h3>Error samples</h3>\n<ul>\n";
    std::size_t shown = 0;
    for (const Json& sample : *samples) {
      if (shown++ >= 50) break;
      if (sample.is_string()) out += "<li>" + EscapeHtml(sample.get<std::string>()) + "</li>\n";
    }
    out += "</ul>\n";
  }
  return out;
}

std::string ArtifactSection(const GateReport& gate) {
  if (!gate.details || !gate.details->is_object() || gate.details->empty()) return "";
  return HtmlTable(
      {"Artifact", "Expected digest", "Actual digest"},
      {{EscapeHtml(Text(*gate.details, "uri")), EscapeHtml(Text(*gate.details, "expected")),
        EscapeHtml(Text(*gate.details, "actual"))}});
}

}  // namespace modelgate::gates
