#include "operator/controller.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "kube/fake_client.h"

namespace modelgate::op {
namespace {

using kube::Json;

class NullSink final : public EventSink {
 public:
  void Record(const Json&, kube::EventType, const std::string&, const std::string&) override {}
};

Json ModelVersionJson(const std::string& name) {
  return {{"apiVersion", "modelgate.io/v1alpha1"},
          {"kind", "ModelVersion"},
          {"metadata", {{"name", name}, {"namespace", "ml"}}},
          {"spec",
           {{"model", "fraud"},
            {"version", "3"},
            {"artifact", {{"uri", "s3://models/fraud/3"}, {"format", "sklearn"}}},
            {"serving", {{"image", "registry.local/fraud:3"}}},
            {"datasets",
             {{"training", {{"uri", "s3://data/train.csv"}}},
              {"holdout", {{"uri", "s3://data/holdout.csv"}}},
              {"reference", {{"uri", "s3://data/reference.csv"}}}}}}}};
}

// Polls `condition` until it holds or five seconds pass.
template <typename F>
bool Eventually(F condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling, not waiting it out
  }
  return condition();
}

size_t JobCount(kube::FakeClient& client) {
  Result<Json> jobs = client.List(kube::JobsResource(), "ml", {});
  return jobs.ok() ? (*jobs)["items"].size() : 0;
}

TEST(ControllerTest, NewModelVersionGetsItsFirstJobAndStopEndsRun) {
  kube::FakeClient client;
  ASSERT_TRUE(client.Create(kube::ModelVersionsResource(), "ml", ModelVersionJson("a")).ok());
  NullSink events;
  ControllerMetrics metrics;
  ControllerOptions options;
  options.reconciler.job.validator_image = "registry.local/modelgate:test";
  Controller controller(client, kube::SystemClock(), events, options, metrics);
  kube::StopSignal stop;
  Status result;
  std::thread run([&] { result = controller.Run(stop); });

  EXPECT_TRUE(Eventually([&] { return controller.Synced(); }));
  EXPECT_TRUE(Eventually([&] { return JobCount(client) == 1; }));
  // A ModelVersion created later is picked up through the watch.
  ASSERT_TRUE(client.Create(kube::ModelVersionsResource(), "ml", ModelVersionJson("b")).ok());
  EXPECT_TRUE(Eventually([&] { return JobCount(client) == 2; }));

  stop.Stop();
  run.join();
  EXPECT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(metrics.Render(),
              ::testing::Not(::testing::HasSubstr("modelgate_reconciles_total 0\n")));
}

}  // namespace
}  // namespace modelgate::op
