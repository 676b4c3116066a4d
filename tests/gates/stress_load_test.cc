#include "gates/stress_load.h"

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

constexpr std::int64_t kMillisecond = 1'000'000;

StressTarget TargetFor(const ScriptedServer& server) {
  StressTarget target;
  target.port = server.port();
  target.path = "/v2/models/m/infer";
  target.body = R"({"inputs":[]})";
  return target;
}

LoadProfile Closed(int connections, std::int64_t max_requests,
                   milliseconds duration = milliseconds(20000)) {
  LoadProfile profile;
  profile.connections = connections;
  profile.max_requests = max_requests;
  profile.duration = duration;
  return profile;
}

ScriptedServer::Script AnswerOk(milliseconds delay = milliseconds(0)) {
  return [delay](const ScriptedRequest&) { return ScriptedAnswer::Respond(200, "{}", delay); };
}

TEST(StressLoadTest, ClosedLoopStopsAtTheRequestCount) {
  ScriptedServer server(AnswerOk());
  auto report = RunLoad(TargetFor(server), Closed(4, 200));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->requests, 200);
  EXPECT_EQ(report->succeeded, 200);
  EXPECT_EQ(report->latency.count(), 200);
  EXPECT_EQ(report->error_rate(), 0);
  EXPECT_GT(report->throughput(), 0);
}

TEST(StressLoadTest, SendsTheConfiguredRequest) {
  ScriptedServer server(AnswerOk());
  ASSERT_TRUE(RunLoad(TargetFor(server), Closed(1, 3)).ok());
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v2/models/m/infer");
  EXPECT_EQ(requests[0].body, R"({"inputs":[]})");
}

TEST(StressLoadTest, KeepsConnectionsAlive) {
  ScriptedServer server(AnswerOk());
  ASSERT_TRUE(RunLoad(TargetFor(server), Closed(3, 300)).ok());
  EXPECT_EQ(server.connections(), 3u);
}

TEST(StressLoadTest, StopsAtTheDurationWithoutACount) {
  ScriptedServer server(AnswerOk(milliseconds(5)));
  auto report = RunLoad(TargetFor(server), Closed(2, 0, milliseconds(300)));
  ASSERT_TRUE(report.ok());
  EXPECT_GT(report->requests, 0);
  EXPECT_LT(report->elapsed, std::chrono::seconds(3));
}

TEST(StressLoadTest, CountsServerErrors) {
  ScriptedServer server(
      [](const ScriptedRequest&) { return ScriptedAnswer::Respond(503, "overloaded"); });
  auto report = RunLoad(TargetFor(server), Closed(2, 50));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->http_errors, 50);
  EXPECT_EQ(report->error_rate(), 1.0);
  ASSERT_FALSE(report->error_samples.empty());
  EXPECT_EQ(report->error_samples[0], "HTTP 503");
}

TEST(StressLoadTest, CountsTimeoutsAndStillEnds) {
  ScriptedServer server([](const ScriptedRequest&) { return ScriptedAnswer::Stall(); });
  LoadProfile profile = Closed(2, 4);
  profile.request_timeout = milliseconds(100);
  auto report = RunLoad(TargetFor(server), profile);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->timeouts, 4);
  EXPECT_EQ(report->latency.count(), 0);
}

TEST(StressLoadTest, RefusedConnectionsAreErrorsNotAFailedRun) {
  int port;
  {
    ScriptedServer server(AnswerOk());
    port = server.port();
  }
  StressTarget target;
  target.port = port;
  auto report = RunLoad(target, Closed(1, 0, milliseconds(100)));
  ASSERT_TRUE(report.ok());
  EXPECT_GT(report->connection_errors, 0);
  EXPECT_EQ(report->succeeded, 0);
  EXPECT_THAT(report->error_samples[0], HasSubstr("connect"));
}

TEST(StressLoadTest, DroppedConnectionsAreCountedAndReopened) {
  std::atomic<int> seen{0};
  ScriptedServer server([&seen](const ScriptedRequest&) {
    return ++seen % 2 == 0 ? ScriptedAnswer::Drop() : ScriptedAnswer::Respond(200, "{}");
  });
  auto report = RunLoad(TargetFor(server), Closed(1, 20));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->succeeded, 10);
  EXPECT_EQ(report->connection_errors, 10);
}

TEST(StressLoadTest, OpenLoopKeepsTheRate) {
  ScriptedServer server(AnswerOk());
  LoadProfile profile;
  profile.loop = LoadLoop::kOpen;
  profile.connections = 2;
  profile.requests_per_second = 200;
  profile.duration = milliseconds(1000);
  auto report = RunLoad(TargetFor(server), profile);
  ASSERT_TRUE(report.ok());
  EXPECT_GE(report->requests, 190);
  EXPECT_LE(report->requests, 201);
  EXPECT_GE(report->elapsed, milliseconds(990));
}

// A server that takes 50 ms per answer, asked for one request every 10 ms on one
// connection, falls further behind with every request: latency counted from the due time
// shows it; latency counted from the send time (closed loop) does not.
TEST(StressLoadTest, OpenLoopCountsLatencyFromTheDueTime) {
  ScriptedServer server(AnswerOk(milliseconds(50)));
  LoadProfile open;
  open.loop = LoadLoop::kOpen;
  open.connections = 1;
  open.requests_per_second = 100;
  open.max_requests = 10;
  auto report = RunLoad(TargetFor(server), open);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->succeeded, 10);
  // The tenth request was due at 90 ms and answered at about 500 ms.
  EXPECT_GT(report->latency.max(), 350 * kMillisecond);
}

TEST(StressLoadTest, ClosedLoopLatencyIsTheServiceTime) {
  ScriptedServer server(AnswerOk(milliseconds(50)));
  auto report = RunLoad(TargetFor(server), Closed(1, 5));
  ASSERT_TRUE(report.ok());
  EXPECT_GE(report->latency.ValueAtPercentile(50), 50 * kMillisecond);
  EXPECT_LT(report->latency.max(), 300 * kMillisecond);
}

TEST(StressLoadTest, MultipleThreadsMergeTheirCounts) {
  ScriptedServer server(AnswerOk());
  LoadProfile profile = Closed(4, 400);
  profile.threads = 2;
  auto report = RunLoad(TargetFor(server), profile);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->succeeded, 400);
  EXPECT_EQ(report->latency.count(), 400);
}

TEST(StressLoadTest, RejectsOpenLoopWithoutRate) {
  LoadProfile profile;
  profile.loop = LoadLoop::kOpen;
  StressTarget target;
  target.port = 1;
  auto report = RunLoad(target, profile);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), HasSubstr("rate"));
}

TEST(StressLoadTest, RejectsZeroConnections) {
  StressTarget target;
  target.port = 1;
  auto report = RunLoad(target, Closed(0, 1));
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), HasSubstr("connections"));
}

}  // namespace
}  // namespace modelgate::gates
