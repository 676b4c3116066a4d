// `modelgate report mv/NAME` against a fake API server on loopback: the ModelVersion, the pods
// of its validation Jobs (label job-name) and the validator container's log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/model_version.h"
#include "tests/gates/well_formed_xml.h"
#include "tests/kube/loopback_http_server.h"
#include "tests/support/subprocess.h"

namespace modelgate::cmd {
namespace {

namespace fs = std::filesystem;
using ::modelgate::gates::testing::IsWellFormedXml;
using ::modelgate::kube::testing::HttpRequest;
using ::modelgate::kube::testing::HttpResponse;
using ::modelgate::kube::testing::LoopbackHttpServer;
using ::modelgate::testing::RunModelgate;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kDataJob[] = "cancer-v2-data-g1-0a0a0a0a";
constexpr char kQualityJob[] = "cancer-v2-quality-g1-0b0b0b0b";
constexpr char kToken[] = "report-reader-token";

// The full data report as the validator prints it, among its other log lines.
std::string DataLog() {
  nlohmann::json report = {{"gate", "data"},
                           {"verdict", "Failed"},
                           {"message", "1 of 1 features drifted"},
                           {"metrics", {{"driftShare", 1.0}, {"driftScore.<age>", 0.001}}},
                           {"details",
                            {{"drift",
                              {{{"column", "<age>"},
                                {"method", "ks"},
                                {"score", 0.001},
                                {"threshold", 0.05},
                                {"drifted", true},
                                {"sketched", false},
                                {"histogram",
                                 {{"kind", "numeric"},
                                  {"edges", {0, 1, 2}},
                                  {"reference", {5, 5}},
                                  {"training", {1, 9}}}}}}},
                             {"findings", nlohmann::json::array()}}}};
  return "modelgate validate: waiting for http://127.0.0.1:8080/v2/health/ready\n" +
         report.dump(2) + "\n";
}

nlohmann::json ModelVersionObject() {
  ModelVersion mv;
  mv.metadata.name = "cancer-v2";
  mv.metadata.namespace_ = "ml";
  mv.spec.model = "cancer";
  mv.spec.version = "2";
  mv.spec.artifact.uri = "s3://models/cancer/2/model.joblib";
  mv.spec.artifact.format = ArtifactFormat::kSklearn;
  mv.spec.serving.image = "mlserver:1.6";
  mv.spec.datasets.training = Dataset{"s3://data/training.csv", DatasetFormat::kCsv};
  mv.spec.datasets.holdout = Dataset{"s3://data/holdout.csv", DatasetFormat::kCsv};
  mv.spec.datasets.reference = Dataset{"s3://data/reference.csv", DatasetFormat::kCsv};
  mv.spec.gates.data.max_drift_share = 0.25;
  mv.status.phase = ModelVersionPhase::kFailed;
  GateStatus data;
  data.name = GateName::kData;
  data.phase = GatePhase::kFailed;
  data.job = kDataJob;
  data.message = "1 of 1 features drifted";
  data.metrics = {{"driftShare", 1.0}};
  GateStatus quality;
  quality.name = GateName::kQuality;
  quality.phase = GatePhase::kPassed;
  quality.job = kQualityJob;
  quality.message = "auc 0.97 >= threshold 0.9";
  quality.metrics = {{"auc", 0.97}};
  mv.status.gates = {data, quality};
  return ToJson(mv);
}

nlohmann::json Pod(const std::string& name, const std::string& created, int exit_code) {
  return {{"metadata", {{"name", name}, {"namespace", "ml"}, {"creationTimestamp", created}}},
          {"status",
           {{"containerStatuses",
             {{{"name", "validator"}, {"state", {{"terminated", {{"exitCode", exit_code}}}}}}}}}}};
}

HttpResponse Json(const nlohmann::json& body, int status = 200) {
  return {status, {{"Content-Type", "application/json"}}, body.dump(), {}, false};
}

HttpResponse FakeApiServer(const HttpRequest& request) {
  const std::string& t = request.target;
  if (t == "/apis/modelgate.io/v1alpha1/namespaces/ml/modelversions/cancer-v2") {
    return Json(ModelVersionObject());
  }
  if (t == std::string("/api/v1/namespaces/ml/pods?labelSelector=job-name%3D") + kDataJob) {
    // The first attempt crashed; the second one printed the report.
    return Json({{"items",
                  {Pod("data-attempt-1", "2026-01-02T15:00:00Z", 137),
                   Pod("data-attempt-2", "2026-01-02T14:00:00Z", 0)}}});
  }
  if (t.rfind("/api/v1/namespaces/ml/pods/data-attempt-2/log?", 0) == 0) {
    return {200, {{"Content-Type", "text/plain"}}, DataLog(), {}, false};
  }
  if (t.rfind("/api/v1/namespaces/ml/pods?", 0) == 0) {
    return Json({{"items", nlohmann::json::array()}});  // the Job's pods are gone (TTL)
  }
  return Json({{"kind", "Status"},
               {"status", "Failure"},
               {"reason", "NotFound"},
               {"code", 404},
               {"message", "not found"}},
              404);
}

class ReportCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/modelgate-report-XXXXXX";
    dir_ = mkdtemp(pattern);
    std::ofstream(dir_ / "kubeconfig") << "apiVersion: v1\nkind: Config\n"
                                          "clusters:\n- name: c\n  cluster:\n    server: " +
                                              server_.url() +
                                              "\nusers:\n- name: u\n  user:\n    token: " + kToken +
                                              "\ncontexts:\n- name: x\n  context:\n"
                                              "    cluster: c\n    user: u\n    namespace: ml\n"
                                              "current-context: x\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  ::modelgate::testing::ProcessOutput Report(const std::string& args) {
    return RunModelgate("report --kubeconfig " + (dir_ / "kubeconfig").string() + " " + args);
  }

  std::string Page() {
    std::ifstream in(dir_ / "report.html");
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
  }

  LoopbackHttpServer server_{FakeApiServer};
  fs::path dir_;
};

TEST_F(ReportCommandTest, WritesThePageWithTheDetailsFromTheValidatorsLog) {
  auto r = Report("mv/cancer-v2 -n ml -o " + (dir_ / "report.html").string());
  ASSERT_EQ(r.exitCode, 0) << r.output;
  const std::string page = Page();
  EXPECT_THAT(page, HasSubstr("aria-label=\"Distribution of &lt;age&gt;: reference against "
                              "training\""));
  EXPECT_THAT(page, HasSubstr("Job " + std::string(kDataJob)));
  EXPECT_THAT(page, HasSubstr("≤ 0.25 <small>(spec.gates.data.maxDriftShare)</small>"));
  EXPECT_TRUE(IsWellFormedXml(page));
}

TEST_F(ReportCommandTest, ReadsTheValidatorLogOfTheJobPodThatPrintedTheReport) {
  ASSERT_EQ(Report("mv/cancer-v2 -o " + (dir_ / "report.html").string()).exitCode, 0);
  bool listed = false, read = false;
  for (const HttpRequest& request : server_.requests()) {
    EXPECT_EQ(request.headers.at("authorization"), std::string("Bearer ") + kToken)
        << request.target;
    listed = listed || request.target.find("labelSelector=job-name%3D" + std::string(kDataJob)) !=
                           std::string::npos;
    if (request.target.rfind("/api/v1/namespaces/ml/pods/", 0) == 0) {
      EXPECT_THAT(request.target, HasSubstr("/pods/data-attempt-2/log?"));
      EXPECT_THAT(request.target, HasSubstr("container=validator"));
      EXPECT_THAT(request.target, HasSubstr("limitBytes="));
      read = true;
    }
  }
  EXPECT_TRUE(listed);
  EXPECT_TRUE(read);
}

TEST_F(ReportCommandTest, SaysWhenAJobsLogIsGoneAndShowsItsStatus) {
  ASSERT_EQ(Report("mv/cancer-v2 -o " + (dir_ / "report.html").string()).exitCode, 0);
  const std::string page = Page();
  const std::string quality = page.substr(page.find("id=\"gate-quality\""));
  EXPECT_THAT(quality, HasSubstr("the log of Job " + std::string(kQualityJob) +
                                 " is gone: its pods were deleted"));
  EXPECT_THAT(quality, HasSubstr("<td>auc</td><td>0.97</td>"));
  EXPECT_THAT(quality, HasSubstr("badge passed"));
}

TEST_F(ReportCommandTest, WritesToStandardOutputWithoutOutputFile) {
  auto r = Report("modelversion/cancer-v2");
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(r.output, HasSubstr("ModelVersion ml/cancer-v2"));
}

TEST_F(ReportCommandTest, UnknownModelVersionExitsTwoNamingIt) {
  auto r = Report("mv/nope -n ml");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.output, HasSubstr("modelversion ml/nope"));
  EXPECT_THAT(r.output, Not(HasSubstr("<html")));
}

TEST_F(ReportCommandTest, RefusesAnotherKind) {
  auto r = Report("deployment/cancer");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.output, HasSubstr("\"deployment/cancer\" is not a ModelVersion"));
}

TEST_F(ReportCommandTest, UnreachableApiServerExitsTwo) {
  std::ofstream(dir_ / "kubeconfig")
      << "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
         "    server: http://127.0.0.1:1\nusers:\n- name: u\n  user: {}\ncontexts:\n"
         "- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n";
  auto r = Report("mv/cancer-v2");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.output, HasSubstr("modelversion default/cancer-v2"));
}

TEST(ReportCommandUsageTest, HelpNamesTheArguments) {
  auto r = RunModelgate("report --help");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_THAT(r.output, HasSubstr("modelgate report mv/NAME [-n NAMESPACE] [-o FILE.html]"));
}

TEST(ReportCommandUsageTest, WithoutAModelVersionIsAUsageError) {
  auto r = RunModelgate("report");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.output, HasSubstr("which ModelVersion?"));
}

}  // namespace
}  // namespace modelgate::cmd
