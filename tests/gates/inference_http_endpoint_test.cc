#include "gates/inference_http_endpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "tests/gates/inference_scripted_server.h"

namespace modelgate::gates {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using testing::ScriptedAnswer;
using testing::ScriptedRequest;
using testing::ScriptedServer;

const char kTwoPredictions[] =
    R"({"outputs":[{"name":"predict","shape":[2],"datatype":"FP64","data":[1,0]}]})";

InferenceBatch Rows(std::size_t count) {
  InferenceBatch batch;
  batch.columns = {"x"};
  for (std::size_t i = 0; i < count; ++i) batch.rows.push_back({static_cast<double>(i)});
  return batch;
}

std::unique_ptr<HttpInferenceEndpoint> V2Endpoint(const std::string& url,
                                                  milliseconds timeout = milliseconds(5000)) {
  V2Options v2;
  v2.model_name = "m";
  HttpEndpointOptions options;
  options.base_url = url;
  options.request_timeout = timeout;
  options.readiness_poll_interval = milliseconds(20);
  auto endpoint = HttpInferenceEndpoint::Create(options, MakeV2Protocol(v2));
  EXPECT_TRUE(endpoint.ok()) << endpoint.status().ToString();
  return std::move(endpoint).value();
}

TEST(HttpInferenceEndpointTest, PostsToInferPathAndDecodesPredictions) {
  ScriptedServer server(
      [](const ScriptedRequest&) { return ScriptedAnswer::Respond(200, kTwoPredictions); });
  auto endpoint = V2Endpoint(server.url());
  InferenceExchange exchange = endpoint->Exchange(Rows(2));
  ASSERT_TRUE(exchange.succeeded()) << exchange.error.ToString();
  ASSERT_EQ(exchange.predictions.size(), 2u);
  EXPECT_EQ(exchange.predictions[0].value, 1);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v2/models/m/infer");
  EXPECT_EQ(requests[0].body, exchange.request_body);
}

TEST(HttpInferenceEndpointTest, ReportsServerErrorStatusWithBody) {
  ScriptedServer server([](const ScriptedRequest&) {
    return ScriptedAnswer::Respond(500, R"({"error":"NaN in X"})");
  });
  auto endpoint = V2Endpoint(server.url());
  InferenceExchange exchange = endpoint->Exchange(Rows(1));
  EXPECT_EQ(exchange.outcome, ExchangeOutcome::kAnswered);
  EXPECT_EQ(exchange.http_status, 500);
  EXPECT_FALSE(exchange.succeeded());
  auto predictions = PredictInBatches(*endpoint, Rows(1), 10);
  ASSERT_FALSE(predictions.ok());
  EXPECT_THAT(predictions.status().message(), HasSubstr("HTTP 500"));
  EXPECT_THAT(predictions.status().message(), HasSubstr("NaN in X"));
}

TEST(HttpInferenceEndpointTest, GarbageAnswerIsAnErrorNamingTheEndpoint) {
  ScriptedServer server(
      [](const ScriptedRequest&) { return ScriptedAnswer::Respond(200, "}}not json{{"); });
  auto endpoint = V2Endpoint(server.url());
  InferenceExchange exchange = endpoint->Exchange(Rows(1));
  EXPECT_FALSE(exchange.succeeded());
  EXPECT_THAT(exchange.error.message(), HasSubstr(server.url()));
  EXPECT_THAT(exchange.error.message(), HasSubstr("not JSON"));
}

TEST(HttpInferenceEndpointTest, SlowAnswerTimesOut) {
  ScriptedServer server([](const ScriptedRequest&) { return ScriptedAnswer::Stall(); });
  auto endpoint = V2Endpoint(server.url(), milliseconds(300));
  auto started = std::chrono::steady_clock::now();
  InferenceExchange exchange = endpoint->Exchange(Rows(1));
  EXPECT_EQ(exchange.outcome, ExchangeOutcome::kTimedOut) << exchange.error.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(HttpInferenceEndpointTest, DroppedConnectionIsConnectionFailed) {
  ScriptedServer server([](const ScriptedRequest&) { return ScriptedAnswer::Drop(); });
  auto endpoint = V2Endpoint(server.url());
  InferenceExchange exchange = endpoint->Exchange(Rows(1));
  EXPECT_EQ(exchange.outcome, ExchangeOutcome::kConnectionFailed) << exchange.error.ToString();
}

TEST(HttpInferenceEndpointTest, RefusedConnectionIsConnectionFailed) {
  int port;
  {
    ScriptedServer server([](const ScriptedRequest&) { return ScriptedAnswer{}; });
    port = server.port();
  }
  auto endpoint = V2Endpoint("http://127.0.0.1:" + std::to_string(port));
  InferenceExchange exchange = endpoint->Exchange(Rows(1));
  EXPECT_EQ(exchange.outcome, ExchangeOutcome::kConnectionFailed);
}

TEST(HttpInferenceEndpointTest, OversizedAnswerIsRejected) {
  ScriptedServer server([](const ScriptedRequest&) {
    return ScriptedAnswer::Respond(200, std::string(300000, ' '));
  });
  V2Options v2;
  v2.model_name = "m";
  HttpEndpointOptions options;
  options.base_url = server.url();
  options.max_answer_bytes = 100000;
  auto endpoint = HttpInferenceEndpoint::Create(options, MakeV2Protocol(v2));
  ASSERT_TRUE(endpoint.ok());
  InferenceExchange exchange = (*endpoint)->Exchange(Rows(1));
  EXPECT_EQ(exchange.outcome, ExchangeOutcome::kAnswerTooLarge);
}

TEST(HttpInferenceEndpointTest, SendsRowsInBatchesAndKeepsOrder) {
  ScriptedServer server([](const ScriptedRequest& request) {
    // Echo each row's x as its prediction.
    auto body = nlohmann::json::parse(request.body);
    nlohmann::json data = nlohmann::json::array();
    for (const auto& row : body["inputs"][0]["data"]) data.push_back(row[0]);
    nlohmann::json answer = {
        {"outputs", {{{"name", "predict"}, {"datatype", "FP64"}, {"data", data}}}}};
    return ScriptedAnswer::Respond(200, answer.dump());
  });
  auto endpoint = V2Endpoint(server.url());
  auto predictions = PredictInBatches(*endpoint, Rows(7), 3);
  ASSERT_TRUE(predictions.ok()) << predictions.status().ToString();
  ASSERT_EQ(predictions->size(), 7u);
  for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ((*predictions)[i].value, static_cast<double>(i));
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(HttpInferenceEndpointTest, WaitsUntilModelIsReady) {
  std::atomic<int> polls{0};
  ScriptedServer server([&polls](const ScriptedRequest& request) {
    if (request.target == "/v2/models/m/ready" && ++polls < 3) {
      return ScriptedAnswer::Respond(503, "loading");
    }
    return ScriptedAnswer::Respond(200, "{}");
  });
  auto endpoint = V2Endpoint(server.url());
  Status ready =
      endpoint->WaitUntilReady(std::chrono::steady_clock::now() + std::chrono::seconds(10));
  EXPECT_TRUE(ready.ok()) << ready.ToString();
  EXPECT_EQ(polls.load(), 3);
}

TEST(HttpInferenceEndpointTest, ReadinessGivesUpAtDeadlineWithLastAnswer) {
  ScriptedServer server(
      [](const ScriptedRequest&) { return ScriptedAnswer::Respond(503, "still loading"); });
  auto endpoint = V2Endpoint(server.url());
  Status ready =
      endpoint->WaitUntilReady(std::chrono::steady_clock::now() + std::chrono::milliseconds(200));
  EXPECT_EQ(ready.code(), Status::Code::kDeadlineExceeded);
  EXPECT_THAT(ready.message(), HasSubstr("still loading"));
}

TEST(HttpInferenceEndpointTest, RejectsNonHttpUrl) {
  auto endpoint = HttpInferenceEndpoint::Create({.base_url = "ftp://x"}, MakeMlflowProtocol());
  ASSERT_FALSE(endpoint.ok());
  EXPECT_THAT(endpoint.status().message(), HasSubstr("ftp://x"));
}

}  // namespace
}  // namespace modelgate::gates
