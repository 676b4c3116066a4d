#include "kube/rest_client.h"

#include <gtest/gtest.h>

#include "kube/api_error.h"
#include "tests/kube/loopback_http_server.h"

namespace modelgate::kube {
namespace {

using testing::HttpRequest;
using testing::HttpResponse;
using testing::LoopbackHttpServer;

const std::string kPodJson =
    R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ml","resourceVersion":"5"}})";

std::unique_ptr<Client> ClientFor(const LoopbackHttpServer& server, const std::string& token = "") {
  ClientConfig config;
  config.server = server.url();
  config.bearer_token = token;
  config.user_agent = "modelgate/test";
  config.qps = 1000;
  config.burst = 1000;
  Result<std::unique_ptr<Client>> client = NewRestClient(config);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return std::move(client).value();
}

HttpResponse Reply(int status, std::map<std::string, std::string> headers, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

HttpResponse Ok(const std::string& body) {
  return Reply(200, {{"Content-Type", "application/json"}}, body);
}

TEST(RestClientTest, GetSendsUserAgentTokenAndAcceptHeaders) {
  LoopbackHttpServer server([](const HttpRequest&) { return Ok(kPodJson); });
  auto client = ClientFor(server, "secret-token");
  Result<Json> pod = client->Get({PodsResource(), "ml", "p"});
  ASSERT_TRUE(pod.ok()) << pod.status().ToString();
  EXPECT_EQ(NameOf(*pod), "p");
  HttpRequest request = server.requests().at(0);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, "/api/v1/namespaces/ml/pods/p");
  EXPECT_EQ(request.headers["user-agent"], "modelgate/test");
  EXPECT_EQ(request.headers["authorization"], "Bearer secret-token");
  EXPECT_EQ(request.headers["accept"], "application/json");
}

TEST(RestClientTest, ListPutsSelectorsAndPagingInTheQuery) {
  LoopbackHttpServer server([](const HttpRequest&) { return Ok(R"({"items":[]})"); });
  auto client = ClientFor(server);
  ListOptions options;
  options.label_selector = "app=fraud,tier in (a,b)";
  options.resource_version = "0";
  options.limit = 500;
  options.continue_token = "tok=";
  ASSERT_TRUE(client->List(JobsResource(), "ml", options).ok());
  EXPECT_EQ(server.requests().at(0).target,
            "/apis/batch/v1/namespaces/ml/jobs?labelSelector=app%3Dfraud%2Ctier%20in%20%28a%2Cb%29"
            "&resourceVersion=0&limit=500&continue=tok%3D");
}

TEST(RestClientTest, MergePatchUsesTheMergePatchContentType) {
  LoopbackHttpServer server([](const HttpRequest&) { return Ok(kPodJson); });
  auto client = ClientFor(server);
  ASSERT_TRUE(client
                  ->PatchStatus({ModelVersionsResource(), "ml", "mv"},
                                {{"status", {{"phase", "Passed"}}}}, {"modelgate", false})
                  .ok());
  HttpRequest request = server.requests().at(0);
  EXPECT_EQ(request.method, "PATCH");
  EXPECT_EQ(
      request.target,
      "/apis/modelgate.io/v1alpha1/namespaces/ml/modelversions/mv/status?fieldManager=modelgate");
  EXPECT_EQ(request.headers["content-type"], "application/merge-patch+json");
  EXPECT_EQ(Json::parse(request.body)["status"]["phase"], "Passed");
}

TEST(RestClientTest, ApplySendsAnApplyPatchWithFieldManagerAndForce) {
  LoopbackHttpServer server([](const HttpRequest&) { return Ok(kPodJson); });
  auto client = ClientFor(server);
  ASSERT_TRUE(
      client->Apply({JobsResource(), "ml", "j"}, {{"kind", "Job"}}, {"modelgate", true, false})
          .ok());
  HttpRequest request = server.requests().at(0);
  EXPECT_EQ(request.target,
            "/apis/batch/v1/namespaces/ml/jobs/j?fieldManager=modelgate&force=true");
  EXPECT_EQ(request.headers["content-type"], "application/apply-patch+yaml");
}

TEST(RestClientTest, DeleteSendsDeleteOptions) {
  LoopbackHttpServer server([](const HttpRequest&) { return Ok(R"({"kind":"Status"})"); });
  auto client = ClientFor(server);
  DeleteOptions options;
  options.propagation_policy = "Background";
  options.precondition_uid = "u-1";
  ASSERT_TRUE(client->Delete({JobsResource(), "ml", "j"}, options).ok());
  Json body = Json::parse(server.requests().at(0).body);
  EXPECT_EQ(server.requests().at(0).method, "DELETE");
  EXPECT_EQ(body["propagationPolicy"], "Background");
  EXPECT_EQ(body["preconditions"]["uid"], "u-1");
}

TEST(RestClientTest, ApiErrorsBecomeStatusCodes) {
  LoopbackHttpServer server([](const HttpRequest& r) -> HttpResponse {
    if (r.target.find("missing") != std::string::npos) {
      return Reply(
          404, {},
          R"({"kind":"Status","code":404,"reason":"NotFound","message":"pods \"missing\" not found"})");
    }
    return Reply(429, {{"Retry-After", "4"}}, "too many requests");
  });
  auto client = ClientFor(server);
  Result<Json> missing = client->Get({PodsResource(), "ml", "missing"});
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("GET /api/v1/namespaces/ml/pods/missing"),
            std::string::npos);
  Result<Json> throttled = client->Get({PodsResource(), "ml", "busy"});
  EXPECT_EQ(throttled.status().code(), Status::Code::kUnavailable);
  EXPECT_EQ(RetryAfter(throttled.status()), std::chrono::seconds(4));
}

TEST(RestClientTest, UnreachableServerIsUnavailable) {
  std::string url;
  {
    LoopbackHttpServer server([](const HttpRequest&) { return Ok("{}"); });
    url = server.url();
  }
  ClientConfig config;
  config.server = url;
  auto client = std::move(NewRestClient(config)).value();
  EXPECT_EQ(client->Get({PodsResource(), "ml", "p"}).status().code(), Status::Code::kUnavailable);
}

TEST(RestClientTest, WatchDecodesEventsSplitAcrossChunks) {
  std::string events =
      R"({"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"6"}}})"
      "\n"
      R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}})"
      "\n";
  LoopbackHttpServer server([&](const HttpRequest&) {
    HttpResponse r;
    r.chunks = {events.substr(0, 10), events.substr(10, 70), events.substr(80)};
    return r;
  });
  auto client = ClientFor(server);
  WatchOptions options;
  options.resource_version = "5";
  options.timeout_seconds = 300;
  auto watch = client->Watch(PodsResource(), "ml", options);
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  EXPECT_EQ(server.requests().at(0).target,
            "/api/v1/namespaces/ml/pods?watch=true&resourceVersion=5&allowWatchBookmarks=true"
            "&timeoutSeconds=300");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto first = (*watch)->Next(deadline);
  ASSERT_TRUE(first.ok() && first->has_value()) << first.status().ToString();
  EXPECT_EQ((*first)->type, WatchEventType::kAdded);
  auto second = (*watch)->Next(deadline);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->type, WatchEventType::kBookmark);
  EXPECT_TRUE(IsWatchEnded((*watch)->Next(deadline).status()));
}

TEST(RestClientTest, EventsArriveBeforeTheStreamEnds) {
  LoopbackHttpServer server([](const HttpRequest&) {
    HttpResponse r;
    r.chunks = {R"({"type":"ADDED","object":{"metadata":{"name":"a"}}})"
                "\n"};
    r.hold_open = true;
    return r;
  });
  auto client = ClientFor(server);
  auto watch = client->Watch(PodsResource(), "ml", {});
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  auto event = (*watch)->Next(std::chrono::steady_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(event.ok() && event->has_value()) << event.status().ToString();
  (*watch)->Cancel();
  EXPECT_TRUE(IsWatchEnded((*watch)->Next(std::chrono::steady_clock::now()).status()));
}

TEST(RestClientTest, WatchRefusedByTheServerReturnsItsStatus) {
  LoopbackHttpServer server([](const HttpRequest&) -> HttpResponse {
    return Reply(410, {}, R"({"kind":"Status","code":410,"reason":"Expired","message":"too old"})");
  });
  auto client = ClientFor(server);
  auto watch = client->Watch(PodsResource(), "ml", {});
  ASSERT_FALSE(watch.ok());
  EXPECT_TRUE(IsGone(watch.status()));
}

TEST(RestClientTest, ConfigurationErrorsAreReportedUpFront) {
  ClientConfig config;
  config.server = "ftp://x";
  EXPECT_EQ(NewRestClient(config).status().code(), Status::Code::kInvalidArgument);
  config.server = "https://127.0.0.1:6443";
  config.ca_pem = "not a certificate";
  Result<std::unique_ptr<Client>> bad_ca = NewRestClient(config);
  ASSERT_FALSE(bad_ca.ok());
  EXPECT_NE(bad_ca.status().message().find("certificate-authority"), std::string::npos);
  config.ca_pem.clear();
  config.client_cert_pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  config.client_key_pem = "key";
  Result<std::unique_ptr<Client>> bad_cert = NewRestClient(config);
  ASSERT_FALSE(bad_cert.ok());
  EXPECT_NE(bad_cert.status().message().find("client-certificate"), std::string::npos);
}

}  // namespace
}  // namespace modelgate::kube
