#include "kube/event_recorder.h"

#include <gtest/gtest.h>

#include "kube/fake_client.h"

namespace modelgate::kube {
namespace {

const Json kModelVersion = {
    {"apiVersion", "modelgate.io/v1alpha1"},
    {"kind", "ModelVersion"},
    {"metadata",
     {{"name", "fraud-v3"}, {"namespace", "ml"}, {"uid", "1234"}, {"resourceVersion", "7"}}}};

class EventRecorderTest : public ::testing::Test {
 protected:
  Json OnlyEvent() {
    Json list = *client_.List(EventsResource(), "ml", {});
    EXPECT_EQ(list["items"].size(), 1u);
    return list["items"].empty() ? Json() : list["items"][0];
  }

  FakeClock clock_;
  FakeClient client_{clock_};
  EventRecorder recorder_{client_, clock_, {"modelgate.io/operator", "operator-0"}};
};

TEST_F(EventRecorderTest, WritesAnEventsV1Event) {
  ASSERT_TRUE(recorder_
                  .Record(kModelVersion, EventType::kWarning, "GateFailed", "Validate",
                          "quality gate failed: auc 0.61 < 0.80")
                  .ok());
  Json event = OnlyEvent();
  EXPECT_EQ(event["type"], "Warning");
  EXPECT_EQ(event["reason"], "GateFailed");
  EXPECT_EQ(event["action"], "Validate");
  EXPECT_EQ(event["reportingController"], "modelgate.io/operator");
  EXPECT_EQ(event["reportingInstance"], "operator-0");
  EXPECT_EQ(event["regarding"]["kind"], "ModelVersion");
  EXPECT_EQ(event["regarding"]["uid"], "1234");
  EXPECT_EQ(event["eventTime"], "2026-01-01T00:00:00.000000Z");
  EXPECT_FALSE(event.contains("series"));
}

TEST_F(EventRecorderTest, RepeatsWithinTheWindowBecomeASeries) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        recorder_.Record(kModelVersion, EventType::kNormal, "JobCreated", "Create", "x").ok());
    clock_.Advance(std::chrono::minutes(1));
  }
  Json event = OnlyEvent();
  EXPECT_EQ(event["series"]["count"], 3);
  EXPECT_EQ(event["series"]["lastObservedTime"], "2026-01-01T00:02:00.000000Z");
}

TEST_F(EventRecorderTest, DifferentNotesAreDifferentEvents) {
  ASSERT_TRUE(recorder_.Record(kModelVersion, EventType::kNormal, "R", "A", "one").ok());
  ASSERT_TRUE(recorder_.Record(kModelVersion, EventType::kNormal, "R", "A", "two").ok());
  EXPECT_EQ((*client_.List(EventsResource(), "ml", {}))["items"].size(), 2u);
}

TEST_F(EventRecorderTest, RepeatAfterTheWindowStartsANewEvent) {
  ASSERT_TRUE(recorder_.Record(kModelVersion, EventType::kNormal, "R", "A", "n").ok());
  clock_.Advance(std::chrono::minutes(7));
  ASSERT_TRUE(recorder_.Record(kModelVersion, EventType::kNormal, "R", "A", "n").ok());
  EXPECT_EQ((*client_.List(EventsResource(), "ml", {}))["items"].size(), 2u);
}

TEST_F(EventRecorderTest, LongNotesAreTruncated) {
  ASSERT_TRUE(
      recorder_.Record(kModelVersion, EventType::kNormal, "R", "A", std::string(5000, 'n')).ok());
  EXPECT_EQ(OnlyEvent()["note"].get<std::string>().size(), 1024u);
}

TEST_F(EventRecorderTest, ClusterScopedObjectsGetEventsInDefault) {
  Json policy = {{"apiVersion", "modelgate.io/v1alpha1"},
                 {"kind", "ModelGatePolicy"},
                 {"metadata", {{"name", "prod"}}}};
  ASSERT_TRUE(recorder_.Record(policy, EventType::kNormal, "R", "A", "n").ok());
  EXPECT_EQ((*client_.List(EventsResource(), "default", {}))["items"].size(), 1u);
}

TEST_F(EventRecorderTest, WriteFailuresAreReturned) {
  client_.InjectError("create", Status::PermissionDenied("events is forbidden"));
  EXPECT_EQ(recorder_.Record(kModelVersion, EventType::kNormal, "R", "A", "n").code(),
            Status::Code::kPermissionDenied);
}

}  // namespace
}  // namespace modelgate::kube
