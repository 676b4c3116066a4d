#include "webhook/admission_endpoints.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

#include "policy/in_memory_catalog.h"
#include "tests/policy/policy_fixtures.h"
#include "tests/webhook/tls_test_support.h"
#include "webhook/https_server.h"

namespace modelgate::webhook {
namespace {

using nlohmann::json;
using policy::testing::Deployment;
using policy::testing::Now;
using policy::testing::PassedModel;
using policy::testing::Policy;
using ::testing::HasSubstr;

json Review(const json& object, const std::string& ns = "ml", bool dry_run = false) {
  return {{"apiVersion", "admission.k8s.io/v1"},
          {"kind", "AdmissionReview"},
          {"request",
           {{"uid", "uid-1"},
            {"kind", {{"group", "apps"}, {"version", "v1"}, {"kind", "Deployment"}}},
            {"resource", {{"group", "apps"}, {"version", "v1"}, {"resource", "deployments"}}},
            {"name", object["metadata"]["name"]},
            {"namespace", ns},
            {"operation", "CREATE"},
            {"userInfo", {{"username", "alice"}}},
            {"dryRun", dry_run},
            {"object", object}}}};
}

class AdmissionEndpointsTest : public ::testing::Test {
 protected:
  AdmissionEndpointsTest()
      : endpoints_(
            catalog_, [this] { return ready_.load(); }, [] { return Now(); }, {}, metrics_) {
    ModelVersion failed = PassedModel("ml", "fraud-v3");
    failed.status.phase = ModelVersionPhase::kFailed;
    failed.status.FindGate(GateName::kQuality)->phase = GatePhase::kFailed;
    failed.status.FindGate(GateName::kQuality)->metrics["auc"] = 0.71;
    catalog_.UpsertModelVersion(failed);
    catalog_.UpsertModelVersion(PassedModel("ml", "fraud-v2"));
    ModelGatePolicy p = Policy("production");
    p.spec.floors.push_back(MetricFloor{GateName::kQuality, "auc", 0.80, std::nullopt});
    catalog_.UpsertPolicy(p);
  }

  HttpResponse Post(const std::string& body, std::string_view content_type = "application/json") {
    return endpoints_.Handle(HttpRequest{"POST", "/validate?timeout=10s", content_type, body});
  }

  policy::InMemoryCatalog catalog_;
  AdmissionMetrics metrics_;
  std::atomic<bool> ready_{true};
  AdmissionEndpoints endpoints_;
};

TEST_F(AdmissionEndpointsTest, DeniesFailedModelWithForbiddenStatus) {
  HttpResponse r = Post(Review(Deployment("fraud-api", "fraud-v3")).dump());
  ASSERT_EQ(r.status, 200u);
  json j = json::parse(r.body);
  EXPECT_EQ(j["response"]["uid"], "uid-1");
  EXPECT_EQ(j["response"]["allowed"], false);
  EXPECT_EQ(j["response"]["status"]["code"], 403);
  EXPECT_EQ(j["response"]["status"]["message"],
            "Deployment ml/fraud-api: ModelVersion ml/fraud-v3 has not passed gate quality: auc "
            "0.71 < floor 0.80 (policy production)");
  EXPECT_EQ(metrics_.RequestCount("Deployment", "CREATE", "denied"), 1u);
}

TEST_F(AdmissionEndpointsTest, AllowsPassedModel) {
  HttpResponse r = Post(Review(Deployment("fraud-api", "fraud-v2")).dump());
  json j = json::parse(r.body);
  EXPECT_EQ(j["response"]["allowed"], true);
  EXPECT_EQ(metrics_.RequestCount("Deployment", "CREATE", "allowed"), 1u);
}

TEST_F(AdmissionEndpointsTest, AuditPolicyAdmitsWithAnnotationCountedAsAudited) {
  catalog_.RemovePolicy("production");
  catalog_.UpsertPolicy(Policy("observe", EnforcementMode::kAudit));
  HttpResponse r = Post(Review(Deployment("fraud-api", "fraud-v3")).dump());
  json j = json::parse(r.body);
  EXPECT_EQ(j["response"]["allowed"], true);
  EXPECT_THAT(j["response"]["auditAnnotations"]["policy-observe"].get<std::string>(),
              HasSubstr("ModelVersion ml/fraud-v3 has not passed gate quality"));
  EXPECT_EQ(metrics_.RequestCount("Deployment", "CREATE", "audited"), 1u);
}

TEST_F(AdmissionEndpointsTest, WarnPolicyAdmitsWithWarningCountedAsWarned) {
  catalog_.RemovePolicy("production");
  catalog_.UpsertPolicy(Policy("observe", EnforcementMode::kWarn));
  HttpResponse r = Post(Review(Deployment("fraud-api", "fraud-v3")).dump());
  json j = json::parse(r.body);
  EXPECT_EQ(j["response"]["allowed"], true);
  EXPECT_THAT(j["response"]["warnings"][0].get<std::string>(),
              HasSubstr("ModelVersion ml/fraud-v3 has not passed gate quality"));
  EXPECT_EQ(metrics_.RequestCount("Deployment", "CREATE", "warned"), 1u);
}

TEST_F(AdmissionEndpointsTest, DryRunGetsTheSameAnswer) {
  HttpResponse r = Post(Review(Deployment("fraud-api", "fraud-v3"), "ml", true).dump());
  EXPECT_EQ(json::parse(r.body)["response"]["allowed"], false);
}

TEST_F(AdmissionEndpointsTest, MalformedJsonIs400) {
  HttpResponse r = Post("{\"apiVersion\": ");
  EXPECT_EQ(r.status, 400u);
  EXPECT_THAT(r.body, HasSubstr("malformed JSON"));
  EXPECT_EQ(metrics_.RequestCount("", "", "invalid"), 1u);
}

TEST_F(AdmissionEndpointsTest, MissingUidIs400) {
  json review = Review(Deployment("fraud-api", "fraud-v3"));
  review["request"].erase("uid");
  HttpResponse r = Post(review.dump());
  EXPECT_EQ(r.status, 400u);
  EXPECT_THAT(r.body, HasSubstr("request.uid is missing"));
}

TEST_F(AdmissionEndpointsTest, WrongApiVersionIs400) {
  json review = Review(Deployment("fraud-api", "fraud-v3"));
  review["apiVersion"] = "admission.k8s.io/v1beta1";
  EXPECT_EQ(Post(review.dump()).status, 400u);
}

TEST_F(AdmissionEndpointsTest, NonJsonContentTypeIs415) {
  EXPECT_EQ(Post("{}", "text/yaml").status, 415u);
}

TEST_F(AdmissionEndpointsTest, ValidateRequiresPost) {
  EXPECT_EQ(endpoints_.Handle(HttpRequest{"GET", "/validate", "", ""}).status, 405u);
}

TEST_F(AdmissionEndpointsTest, RefusesWith503UntilCachesSynced) {
  ready_ = false;
  HttpResponse r = Post(Review(Deployment("fraud-api", "fraud-v2")).dump());
  ASSERT_EQ(r.status, 200u);
  json j = json::parse(r.body);
  EXPECT_EQ(j["response"]["uid"], "uid-1");
  EXPECT_EQ(j["response"]["allowed"], false);
  EXPECT_EQ(j["response"]["status"]["code"], 503);
  EXPECT_THAT(j["response"]["status"]["message"].get<std::string>(),
              HasSubstr("caches have not synced yet"));
  EXPECT_EQ(metrics_.RequestCount("Deployment", "CREATE", "unready"), 1u);
  ready_ = true;
  EXPECT_EQ(
      json::parse(
          Post(Review(Deployment("fraud-api", "fraud-v2")).dump()).body)["response"]["allowed"],
      true);
}

TEST_F(AdmissionEndpointsTest, ReadyzIs503UntilReady) {
  ready_ = false;
  EXPECT_EQ(endpoints_.Handle(HttpRequest{"GET", "/readyz", "", ""}).status, 503u);
  ready_ = true;
  EXPECT_EQ(endpoints_.Handle(HttpRequest{"GET", "/readyz", "", ""}).status, 200u);
  EXPECT_EQ(endpoints_.Handle(HttpRequest{"GET", "/healthz", "", ""}).status, 200u);
}

TEST_F(AdmissionEndpointsTest, MetricsExposeCountsAndHistogram) {
  Post(Review(Deployment("fraud-api", "fraud-v3")).dump());
  HttpResponse r = endpoints_.Handle(HttpRequest{"GET", "/metrics", "", ""});
  EXPECT_EQ(r.status, 200u);
  EXPECT_THAT(r.body, HasSubstr("modelgate_admission_requests_total{kind=\"Deployment\","
                                "operation=\"CREATE\",decision=\"denied\"} 1\n"));
  EXPECT_THAT(r.body, HasSubstr("modelgate_admission_duration_seconds_bucket{le=\"+Inf\"} 1\n"));
  EXPECT_THAT(r.body, HasSubstr("modelgate_admission_duration_seconds_count 1\n"));
}

TEST_F(AdmissionEndpointsTest, UnknownPathIs404) {
  EXPECT_EQ(endpoints_.Handle(HttpRequest{"GET", "/nope", "", ""}).status, 404u);
}

TEST(AdmissionMetricsTest, BoundsSeriesCount) {
  AdmissionMetrics metrics;
  for (size_t i = 0; i < AdmissionMetrics::kMaxSeries + 10; ++i) {
    metrics.Record("Kind" + std::to_string(i), "CREATE", "allowed", std::chrono::microseconds(1));
  }
  EXPECT_EQ(metrics.RequestCount("other", "other", "allowed"), 10u);
}

TEST(AdmissionMetricsTest, EscapesLabelValues) {
  AdmissionMetrics metrics;
  metrics.Record("a\"b\\c\nd", "CREATE", "allowed", std::chrono::microseconds(1));
  EXPECT_THAT(metrics.RenderPrometheus(), HasSubstr("kind=\"a\\\"b\\\\c\\nd\""));
}

// The whole path over TLS: the server, the routes and the decision.
TEST_F(AdmissionEndpointsTest, AnswersOverHttps) {
  testing::TempDir dir;
  testing::WriteSelfSignedCertificate("webhook", dir.File("tls.crt"), dir.File("tls.key"));
  auto cert = ServingCertificate::Load(dir.File("tls.crt"), dir.File("tls.key"));
  ASSERT_TRUE(cert.ok());
  HttpsServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  auto server = HttpsServer::Start(options, std::move(cert).value(),
                                   [this](const HttpRequest& r) { return endpoints_.Handle(r); });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  testing::HttpsTestClient client((*server)->port());
  ASSERT_FALSE(client.Handshake());
  auto res = client.Send("POST", "/validate", Review(Deployment("fraud-api", "fraud-v3")).dump());
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(json::parse(res.body())["response"]["allowed"], false);
  auto bad = client.Send("POST", "/validate", "{not json");
  EXPECT_EQ(bad.result_int(), 400);
  EXPECT_EQ(client.Send("GET", "/readyz").result_int(), 200);
}

}  // namespace
}  // namespace modelgate::webhook
