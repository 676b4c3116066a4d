#include "gates/report_html.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "gates/gate_log_report.h"
#include "tests/gates/report_fixture.h"
#include "tests/gates/well_formed_xml.h"

namespace modelgate::gates {
namespace {

using ::modelgate::gates::testing::FullReport;
using ::modelgate::gates::testing::IsWellFormedXml;
using ::testing::HasSubstr;
using ::testing::Not;

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The text of the <section> of `gate`.
std::string Section(const std::string& page, const std::string& gate) {
  const std::size_t start = page.find("<section class=\"gate\" id=\"gate-" + gate + "\">");
  if (start == std::string::npos) return "";
  return page.substr(start, page.find("</section>", start) - start);
}

TEST(ReportHtmlTest, HasASectionForEveryStepWithItsVerdict) {
  const std::string page = RenderReportHtml(FullReport());
  EXPECT_THAT(Section(page, "artifact"), HasSubstr("badge passed"));
  EXPECT_THAT(Section(page, "data"), HasSubstr("<span class=\"badge failed\">Failed</span>"));
  EXPECT_THAT(Section(page, "quality"), HasSubstr("badge passed"));
  EXPECT_THAT(Section(page, "robustness"), HasSubstr("badge failed"));
  EXPECT_THAT(Section(page, "stress"), HasSubstr("badge failed"));
}

TEST(ReportHtmlTest, PageIsWellFormedXml) {
  EXPECT_TRUE(IsWellFormedXml(RenderReportHtml(FullReport())));
}

TEST(ReportHtmlTest, EveryChartIsWellFormedSvgOnItsOwn) {
  const std::string page = RenderReportHtml(FullReport());
  std::size_t charts = 0;
  for (std::size_t at = page.find("<svg "); at != std::string::npos;
       at = page.find("<svg ", at + 1)) {
    const std::size_t end = page.find("</svg>", at);
    ASSERT_NE(end, std::string::npos);
    EXPECT_TRUE(IsWellFormedXml(page.substr(at, end + 6 - at)));
    ++charts;
  }
  // Two drift histograms, the quality bars, the robustness bars and the latency curve.
  EXPECT_EQ(charts, 5u);
}

TEST(ReportHtmlTest, EscapesNamesAndMessagesFromUsersAndServers) {
  const std::string page = RenderReportHtml(FullReport());
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, Not(HasSubstr("<b>mean radius")));
  EXPECT_THAT(page, HasSubstr("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;amp"));
  EXPECT_THAT(page, HasSubstr("null in &lt;b&gt;mean radius&lt;/b&gt;"));
  EXPECT_THAT(page, HasSubstr("version <b>2 &lt;beta&gt;</b>"));
  EXPECT_THAT(page, HasSubstr("blue &amp; &quot;teal&quot;"));
  // The garbage answer: a control character shown, an invalid byte replaced.
  EXPECT_THAT(page, HasSubstr("&lt;html&gt;\\x01\xEF\xBF\xBD oops"));
}

TEST(ReportHtmlTest, LoadsNothingAndRunsNothing) {
  const std::string page = RenderReportHtml(FullReport());
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, Not(HasSubstr("<link")));
  EXPECT_THAT(page, Not(HasSubstr("<img")));
  EXPECT_THAT(page, Not(HasSubstr("src=")));
  EXPECT_THAT(page, Not(HasSubstr("url(")));
  EXPECT_FALSE(std::regex_search(page, std::regex("<[^>]*\\son[a-z]+\\s*=")))
      << "an event handler attribute";
  // The only absolute URLs are the XML namespaces and the artifact's text.
  std::regex url("(https?:)?//[^\"<\\s]*");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), url); it != std::sregex_iterator();
       ++it) {
    const std::string found = it->str();
    EXPECT_TRUE(found.starts_with("http://www.w3.org/") || found == "///models/good/model.joblib" ||
                found == "//")
        << found;
  }
  EXPECT_THAT(page, HasSubstr("Content-Security-Policy"));
}

TEST(ReportHtmlTest, ShowsEachMetricBesideItsThreshold) {
  const std::string page = RenderReportHtml(FullReport());
  const std::string data = Section(page, "data");
  EXPECT_THAT(data, HasSubstr("≤ 0.25 <small>(spec.gates.data.maxDriftShare)</small>"));
  const std::string stress = Section(page, "stress");
  EXPECT_THAT(stress, HasSubstr("≤ 50 <small>(spec.gates.stress.maxP99Ms)</small> <span "
                                "class=\"bad\">✗</span>"));
  EXPECT_THAT(stress, HasSubstr("≤ 0.01 <small>(spec.gates.stress.maxErrorRate)</small> <span "
                                "class=\"ok\">✓</span>"));
  const std::string quality = Section(page, "quality");
  EXPECT_THAT(quality, HasSubstr("≥ 0.9 <small>(spec.gates.quality.threshold)"));
  EXPECT_THAT(quality, HasSubstr("≥ baselineAuc + 0.1 = 0.6"));
  EXPECT_THAT(quality, HasSubstr("≥ championAuc − 0.02 = 0.94"));
  EXPECT_THAT(Section(page, "robustness"),
              HasSubstr("≤ 0 <small>(spec.gates.robustness.maxFailures)</small> <span "
                        "class=\"bad\">✗</span>"));
}

TEST(ReportHtmlTest, DrawsAHistogramPerDriftTestedFeature) {
  const std::string data = Section(RenderReportHtml(FullReport()), "data");
  EXPECT_EQ(Count(data, "aria-label=\"Distribution of "), 2u);
  EXPECT_THAT(data, HasSubstr("aria-label=\"Distribution of color: reference against training\""));
  EXPECT_THAT(data, HasSubstr("<h3>Findings</h3>"));
}

TEST(ReportHtmlTest, FoldsTheHistogramsOfFeaturesWithoutDrift) {
  ValidationReport report = FullReport();
  nlohmann::json& drift = (*report.gates[1].details)["drift"];
  ASSERT_EQ(drift.size(), 2u);
  drift[1]["drifted"] = false;
  const std::string data = Section(RenderReportHtml(report), "data");
  const std::size_t folded = data.find("<details>");
  ASSERT_NE(folded, std::string::npos);
  EXPECT_THAT(data, HasSubstr("<summary>The 1 features without drift</summary>"));
  ASSERT_EQ(drift[1]["column"], "color");
  const std::string drifted = "Distribution of &lt;script&gt;";
  const std::string stable = "Distribution of color";
  EXPECT_LT(data.find(drifted), folded);
  EXPECT_GT(data.find(stable), folded);
}

TEST(ReportHtmlTest, FindsNullRatesUnderCamelCasedFeatureNames) {
  ValidationReport report = FullReport();
  GateReport& data = report.gates[1];
  (*data.details)["drift"][0]["column"] = "mean_radius";
  data.metrics["nullRate.meanRadius"] = 0.125;
  EXPECT_THAT(Section(RenderReportHtml(report), "data"),
              HasSubstr("<td>mean_radius</td><td>ks</td>"));
  EXPECT_THAT(Section(RenderReportHtml(report), "data"), HasSubstr("<td>0.125</td>"));
}

TEST(ReportHtmlTest, DrawsTheLatencyCurveWithTheBudget) {
  const std::string stress = Section(RenderReportHtml(FullReport()), "stress");
  EXPECT_THAT(stress, HasSubstr("aria-label=\"Latency by percentile\""));
  EXPECT_THAT(stress, HasSubstr("<polyline"));
  EXPECT_THAT(stress, HasSubstr(">max p99 50 ms</text>"));
  EXPECT_THAT(stress, Not(HasSubstr("from the recorded percentiles only")));
}

TEST(ReportHtmlTest, ListsEveryRobustnessFailureWithRequestAndAnswer) {
  const std::string robustness = Section(RenderReportHtml(FullReport()), "robustness");
  EXPECT_THAT(robustness, HasSubstr("<h3>Failed cases</h3>"));
  EXPECT_THAT(robustness, HasSubstr("<pre>{&quot;inputs&quot;:[{&quot;data&quot;:[null]}]}</pre>"));
  EXPECT_THAT(robustness, HasSubstr("<td>500</td>"));
  const std::string failures = robustness.substr(robustness.find("<table class=\"failures\">"));
  EXPECT_EQ(Count(failures, "<tr>"), 2u);  // the header row and one failure
}

TEST(ReportHtmlTest, SkippedGateShowsWhyAndNoMetrics) {
  ValidationReport report = FullReport();
  report.gates[4].phase = "Skipped";
  report.gates[4].message = "skipped: the robustness gate did not pass";
  report.gates[4].details.reset();
  const std::string stress = Section(RenderReportHtml(report), "stress");
  EXPECT_THAT(stress, HasSubstr("badge skipped"));
  EXPECT_THAT(stress, HasSubstr("skipped: the robustness gate did not pass"));
  EXPECT_THAT(stress, Not(HasSubstr("<svg")));
}

TEST(ReportHtmlTest, DetailsOfTheWrongShapeAreLeftOutNotTrusted) {
  ValidationReport report = FullReport();
  for (GateReport& gate : report.gates) {
    gate.details = nlohmann::json::parse(R"({"drift":[1,{"histogram":{"kind":"numeric"}}],
        "checks":"x","failures":{"a":1},"latencyPercentiles":[[90,1],[10,2]],"errorSamples":[3]})");
  }
  const std::string page = RenderReportHtml(report);
  EXPECT_TRUE(IsWellFormedXml(page));
  EXPECT_THAT(Section(page, "stress"), HasSubstr("percentiles must ascend"));
  EXPECT_THAT(Section(page, "data"), HasSubstr("histogram.reference: must be an array"));
}

TEST(ReportHtmlTest, ChartsPerGateAreBounded) {
  ValidationReport report = FullReport();
  GateReport& data = report.gates[1];
  nlohmann::json entry = (*data.details)["drift"][0];
  (*data.details)["drift"] = nlohmann::json::array();
  for (std::size_t i = 0; i < kMaxReportCharts + 20; ++i) (*data.details)["drift"].push_back(entry);
  const std::string section = Section(RenderReportHtml(report), "data");
  EXPECT_EQ(Count(section, "<svg "), kMaxReportCharts);
  EXPECT_THAT(section, HasSubstr("20 more histograms not shown"));
}

TEST(ReportHtmlTest, FromTheStatusAloneSaysTheLogIsGoneAndStillDraws) {
  ModelVersion mv = testing::ReportModelVersion();
  mv.status.phase = ModelVersionPhase::kFailed;
  GateStatus stress;
  stress.name = GateName::kStress;
  stress.phase = GatePhase::kFailed;
  stress.job = "cancer-v2-stress-g1-0a1b2c3d";
  stress.message = "p99 59 ms > max 50 ms";
  stress.metrics = {{"p50Ms", 30}, {"p99Ms", 59.4}, {"maxMs", 60}, {"errorRate", 0}};
  mv.status.gates.push_back(stress);
  std::map<GateName, GateLog> logs;
  logs[GateName::kStress].missing_reason = "the log of Job cancer-v2-stress-g1-0a1b2c3d is gone";
  const std::string page = RenderReportHtml(ReportFromStatus(mv, logs, "2026-01-02T15:04:05Z"));
  EXPECT_TRUE(IsWellFormedXml(page));
  const std::string section = Section(page, "stress");
  EXPECT_THAT(section, HasSubstr("the log of Job cancer-v2-stress-g1-0a1b2c3d is gone; the verdict "
                                 "and metrics come from the ModelVersion&#39;s status"));
  EXPECT_THAT(section, HasSubstr("from the recorded percentiles only"));
  EXPECT_THAT(section, HasSubstr("<polyline"));
  EXPECT_THAT(section, HasSubstr("class=\"bad\">✗</span>"));
  EXPECT_THAT(Section(page, "data"), HasSubstr("not run yet"));
}

}  // namespace
}  // namespace modelgate::gates
