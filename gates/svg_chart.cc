#include "gates/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "gates/html_escape.h"

namespace modelgate::gates {
namespace {

constexpr char kReferenceColor[] = "#4e79a7";
constexpr char kTrainingColor[] = "#f28e2b";
constexpr char kCandidateColor[] = "#f28e2b";
constexpr char kChampionColor[] = "#4e79a7";
constexpr char kBudgetColor[] = "#e15759";
constexpr char kAxisColor[] = "#555555";
constexpr char kGridColor[] = "#dddddd";

// A coordinate with one decimal, enough for screen pixels.
std::string Px(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f", std::isfinite(v) ? v : 0.0);
  return buffer;
}

std::string Percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f%%", share * 100);
  return buffer;
}

// The smallest of 1, 2, 2.5, 5 times a power of ten that is >= v (1 for v <= 0).
double NiceCeiling(double v) {
  if (!(v > 0) || !std::isfinite(v)) return 1;
  const double power = std::pow(10.0, std::floor(std::log10(v)));
  for (double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (step * power >= v * (1 - 1e-12)) return step * power;
  }
  return 10 * power;
}

class Svg {
 public:
  Svg(double width, double height, const std::string& label) {
    out_ = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " + Px(width) +
           " " + Px(height) + "\" width=\"" + Px(width) + "\" height=\"" + Px(height) +
           "\" role=\"img\" aria-label=\"" + EscapeHtml(label) + "\">\n<title>" +
           EscapeHtml(label) + "</title>\n";
  }
  void Line(double x1, double y1, double x2, double y2, const char* color, double width = 1,
            bool dashed = false) {
    out_ += "<line x1=\"" + Px(x1) + "\" y1=\"" + Px(y1) + "\" x2=\"" + Px(x2) + "\" y2=\"" +
            Px(y2) + "\" stroke=\"" + color + "\" stroke-width=\"" + Px(width) + "\"" +
            (dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>\n";
  }
  // A rectangle with a hover tooltip.
  void Rect(double x, double y, double w, double h, const std::string& color,
            const std::string& tooltip) {
    out_ += "<rect x=\"" + Px(x) + "\" y=\"" + Px(y) + "\" width=\"" + Px(std::max(w, 0.0)) +
            "\" height=\"" + Px(std::max(h, 0.0)) + "\" fill=\"" + EscapeHtml(color) + "\">";
    if (!tooltip.empty()) out_ += "<title>" + EscapeHtml(tooltip) + "</title>";
    out_ += "</rect>\n";
  }
  void Circle(double x, double y, double r, const char* color) {
    out_ += "<circle cx=\"" + Px(x) + "\" cy=\"" + Px(y) + "\" r=\"" + Px(r) + "\" fill=\"" +
            color + "\"/>\n";
  }
  // anchor: "start", "middle" or "end"; rotate: degrees about the anchor point.
  void Text(double x, double y, const std::string& text, const char* anchor = "start",
            double rotate = 0, const char* css_class = "") {
    out_ += "<text x=\"" + Px(x) + "\" y=\"" + Px(y) + "\" text-anchor=\"" + anchor + "\"";
    if (*css_class != '\0') out_ += std::string(" class=\"") + css_class + "\"";
    if (rotate != 0) {
      out_ += " transform=\"rotate(" + Px(rotate) + " " + Px(x) + " " + Px(y) + ")\"";
    }
    out_ += ">" + EscapeHtml(text) + "</text>\n";
  }
  void Polyline(const std::vector<std::pair<double, double>>& points, const char* color) {
    out_ += "<polyline fill=\"none\" stroke=\"" + std::string(color) +
            "\" stroke-width=\"2\" points=\"";
    for (const auto& [x, y] : points) out_ += Px(x) + "," + Px(y) + " ";
    out_ += "\"/>\n";
  }
  void LegendEntry(double x, double y, const char* color, const std::string& label) {
    Rect(x, y - 9, 10, 10, color, "");
    Text(x + 14, y, label);
  }
  std::string Finish() { return out_ + "</svg>\n"; }

 private:
  std::string out_;
};

double Sum(const std::vector<double>& values) {
  double total = 0;
  for (double v : values) total += v;
  return total;
}

}  // namespace

std::string DriftHistogramSvg(const DriftHistogram& histogram, const std::string& feature) {
  const bool categorical = histogram.kind == ColumnKind::kCategorical;
  std::vector<std::string> labels = histogram.categories;
  std::vector<double> reference = histogram.reference;
  std::vector<double> training = histogram.training;
  if (categorical && (histogram.reference_other > 0 || histogram.training_other > 0)) {
    labels.push_back("(other)");
    reference.push_back(histogram.reference_other);
    training.push_back(histogram.training_other);
  }
  const double reference_total = Sum(reference);
  const double training_total = Sum(training);
  auto share = [](double count, double total) { return total > 0 ? count / total : 0.0; };

  const double width = 500, height = categorical ? 270 : 230;
  const double left = 52, right = 24, top = 30, bottom = categorical ? 90 : 40;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  Svg svg(width, height, "Distribution of " + feature + ": reference against training");
  svg.LegendEntry(left, 16, kReferenceColor,
                  "reference (" + FormatReportNumber(reference_total) + " values)");
  svg.LegendEntry(left + 200, 16, kTrainingColor,
                  "training (" + FormatReportNumber(training_total) + " values)");

  double max_share = 0;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    max_share = std::max(
        {max_share, share(reference[i], reference_total), share(training[i], training_total)});
  }
  const double y_max = NiceCeiling(max_share > 0 ? max_share : 1);
  auto y = [&](double s) { return top + plot_h * (1 - s / y_max); };
  for (int k = 0; k <= 4; ++k) {
    const double s = y_max * k / 4;
    svg.Line(left, y(s), left + plot_w, y(s), kGridColor);
    svg.Text(left - 6, y(s) + 4, Percent(s), "end");
  }
  const std::size_t bins = reference.size();
  const double bin_w = bins > 0 ? plot_w / static_cast<double>(bins) : plot_w;
  const double bar_w = bin_w * 0.4;
  for (std::size_t i = 0; i < bins; ++i) {
    const double x = left + bin_w * static_cast<double>(i) + bin_w * 0.1;
    const std::string where = categorical ? "\"" + labels[i] + "\""
                                          : "[" + FormatReportNumber(histogram.edges[i]) + ", " +
                                                FormatReportNumber(histogram.edges[i + 1]) +
                                                (i + 1 == bins ? "]" : ")");
    const double rs = share(reference[i], reference_total);
    const double ts = share(training[i], training_total);
    svg.Rect(
        x, y(rs), bar_w, y(0) - y(rs), kReferenceColor,
        "reference " + where + ": " + FormatReportNumber(reference[i]) + " (" + Percent(rs) + ")");
    svg.Rect(
        x + bar_w, y(ts), bar_w, y(0) - y(ts), kTrainingColor,
        "training " + where + ": " + FormatReportNumber(training[i]) + " (" + Percent(ts) + ")");
    if (categorical) {
      svg.Text(x + bar_w, y(0) + 14, TruncateUtf8(labels[i], 18), "end", -40);
    }
  }
  if (!categorical && !histogram.edges.empty()) {
    // About six edge labels, evenly spread.
    const std::size_t step = std::max<std::size_t>(1, (bins + 5) / 6);
    for (std::size_t k = 0; k <= bins; k += step) {
      svg.Text(left + bin_w * static_cast<double>(k), y(0) + 16,
               FormatReportNumber(histogram.edges[k]), "middle");
    }
    if (bins % step != 0) {
      svg.Text(left + plot_w, y(0) + 16, FormatReportNumber(histogram.edges.back()), "middle");
    }
  }
  svg.Line(left, y(0), left + plot_w, y(0), kAxisColor);
  return svg.Finish();
}

std::string LatencyCurveSvg(const std::vector<LatencyPercentile>& candidate,
                            const std::vector<LatencyPercentile>& champion,
                            const std::vector<LatencyBudget>& budgets) {
  const double width = 640, height = 280;
  const double left = 60, right = 120, top = 30, bottom = 40;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  Svg svg(width, height, "Latency by percentile");
  // Horizontal position: the number of nines, log10(1 / (1 - p)); the maximum half a decade
  // past the last finite one.
  auto nines = [](double percentile) { return std::log10(1.0 / (1.0 - percentile / 100.0)); };
  double decades = 2;
  double max_ms = 0;
  for (const auto* curve : {&candidate, &champion}) {
    for (const LatencyPercentile& p : *curve) {
      if (p.percentile < 100) decades = std::max(decades, std::ceil(nines(p.percentile) - 1e-9));
      max_ms = std::max(max_ms, p.milliseconds);
    }
  }
  decades = std::min(decades, 7.0);
  for (const LatencyBudget& b : budgets) max_ms = std::max(max_ms, b.milliseconds);
  const double x_end = decades + 0.5;
  const double y_max = NiceCeiling(max_ms * 1.05);
  auto x = [&](double percentile) {
    const double n = percentile >= 100 ? x_end : std::min(nines(percentile), decades);
    return left + plot_w * n / x_end;
  };
  auto y = [&](double ms) { return top + plot_h * (1 - ms / y_max); };

  for (int k = 0; k <= 4; ++k) {
    const double ms = y_max * k / 4;
    svg.Line(left, y(ms), left + plot_w, y(ms), kGridColor);
    svg.Text(left - 6, y(ms) + 4, FormatReportNumber(ms) + " ms", "end");
  }
  for (int d = 0; d <= static_cast<int>(decades); ++d) {
    const double percentile = 100.0 * (1.0 - std::pow(10.0, -d));
    svg.Line(x(percentile), top, x(percentile), y(0), kGridColor);
    const std::string label = d == 0   ? "0%"
                              : d == 1 ? "90%"
                                       : "99" + (d == 2 ? "" : "." + std::string(d - 2, '9')) + "%";
    svg.Text(x(percentile), y(0) + 16, label, "middle");
  }
  svg.Text(x(100), y(0) + 16, "max", "middle");
  svg.Line(left, y(0), left + plot_w, y(0), kAxisColor);
  svg.Line(left, top, left, y(0), kAxisColor);

  auto draw = [&](const std::vector<LatencyPercentile>& curve, const char* color) {
    std::vector<std::pair<double, double>> points;
    for (const LatencyPercentile& p : curve)
      points.emplace_back(x(p.percentile), y(p.milliseconds));
    svg.Polyline(points, color);
  };
  if (candidate.empty()) {
    svg.Text(left + plot_w / 2, top + plot_h / 2, "no latency was recorded", "middle");
  } else {
    draw(candidate, kCandidateColor);
  }
  svg.LegendEntry(left, 16, kCandidateColor, "candidate");
  if (!champion.empty()) {
    draw(champion, kChampionColor);
    svg.LegendEntry(left + 110, 16, kChampionColor, "champion");
  }
  for (const LatencyBudget& b : budgets) {
    svg.Line(left, y(b.milliseconds), left + plot_w, y(b.milliseconds), kBudgetColor, 1, true);
    svg.Circle(x(b.percentile), y(b.milliseconds), 3.5, kBudgetColor);
    svg.Text(left + plot_w + 6, y(b.milliseconds) + 4, b.label);
  }
  return svg.Finish();
}

std::string BarChartSvg(const std::string& title, const std::vector<Bar>& bars, double marker,
                        const std::string& marker_label) {
  const double row = 26, width = 640, left = 190, right = 70, top = 24;
  const double height = top + row * static_cast<double>(bars.size()) + 30;
  const double plot_w = width - left - right;
  Svg svg(width, height, title);
  double max_value = std::isfinite(marker) ? std::max(marker, 0.0) : 0;
  for (const Bar& b : bars) {
    if (std::isfinite(b.value)) max_value = std::max(max_value, b.value);
  }
  const double x_max = NiceCeiling(max_value);
  auto x = [&](double v) { return left + plot_w * std::clamp(v, 0.0, x_max) / x_max; };
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double y = top + row * static_cast<double>(i);
    svg.Text(left - 8, y + 16, TruncateUtf8(b.label, 40), "end");
    const double value = std::isfinite(b.value) ? b.value : 0;
    svg.Rect(left, y + 4, x(value) - left, row - 8, b.color,
             b.label + ": " + FormatReportNumber(b.value));
    svg.Text(x(value) + 6, y + 16, FormatReportNumber(b.value));
  }
  const double axis_y = top + row * static_cast<double>(bars.size());
  svg.Line(left, axis_y, left + plot_w, axis_y, kAxisColor);
  svg.Text(left, axis_y + 16, "0", "middle");
  svg.Text(left + plot_w, axis_y + 16, FormatReportNumber(x_max), "middle");
  if (std::isfinite(marker)) {
    svg.Line(x(marker), top - 4, x(marker), axis_y, kBudgetColor, 1.5, true);
    svg.Text(x(marker), top - 8, marker_label, "middle");
  }
  return svg.Finish();
}

}  // namespace modelgate::gates
