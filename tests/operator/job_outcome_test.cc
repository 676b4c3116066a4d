#include "operator/job_outcome.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace modelgate::op {
namespace {

using ::testing::HasSubstr;

Json Job(const std::string& condition = "", const std::string& reason = "") {
  Json job = {{"metadata", {{"name", "fraud-v3-quality-g2-abcdef01"}}},
              {"spec", {{"activeDeadlineSeconds", 1200}}},
              {"status", Json::object()}};
  if (!condition.empty()) {
    job["status"]["conditions"] =
        Json::array({{{"type", condition}, {"status", "True"}, {"reason", reason}}});
  }
  return job;
}

Json ValidatorTerminated(int exit_code, const std::string& message,
                         const std::string& reason = "Completed") {
  return {{"name", "validator"},
          {"state",
           {{"terminated", {{"exitCode", exit_code}, {"reason", reason}, {"message", message}}}}}};
}

Json Pod(Json validator_status, std::vector<Json> init_statuses = {},
         const std::string& created = "2026-01-01T00:00:00Z") {
  return {{"metadata", {{"name", "pod-" + created}, {"creationTimestamp", created}}},
          {"status",
           {{"initContainerStatuses", init_statuses},
            {"containerStatuses", Json::array({validator_status})}}}};
}

const char kPassed[] =
    R"({"gate":"quality","verdict":"Passed","message":"auc 0.91 >= 0.8","metrics":{"auc":0.91}})";
const char kFailed[] =
    R"({"gate":"quality","verdict":"Failed","message":"auc 0.71 < threshold 0.8","metrics":{"auc":0.71}})";
const char kError[] =
    R"({"gate":"quality","verdict":"Error","message":"holdout s3://x/h.csv: not found"})";

TEST(ParseValidatorResultTest, ReadsVerdictMessageAndMetrics) {
  Result<ValidatorResult> result = ParseValidatorResult(kPassed, GateName::kQuality);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->verdict, GatePhase::kPassed);
  EXPECT_EQ(result->message, "auc 0.91 >= 0.8");
  EXPECT_EQ(result->metrics.at("auc"), 0.91);
}

TEST(ParseValidatorResultTest, RejectsResultOfAnotherGate) {
  Result<ValidatorResult> result = ParseValidatorResult(kPassed, GateName::kStress);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("expected stress"));
}

TEST(ParseValidatorResultTest, RejectsUnknownVerdict) {
  Result<ValidatorResult> result =
      ParseValidatorResult(R"({"gate":"data","verdict":"Great"})", GateName::kData);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("verdict"));
}

TEST(ParseValidatorResultTest, RejectsGarbage) {
  EXPECT_FALSE(ParseValidatorResult("Segmentation fault", GateName::kData).ok());
  EXPECT_FALSE(ParseValidatorResult("", GateName::kData).ok());
  EXPECT_FALSE(ParseValidatorResult("[1,2]", GateName::kData).ok());
}

TEST(ParseValidatorResultTest, RejectsOversizedMessage) {
  std::string big =
      R"({"gate":"data","verdict":"Passed","message":")" + std::string(5000, 'x') + R"("})";
  Result<ValidatorResult> result = ParseValidatorResult(big, GateName::kData);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("4096"));
}

TEST(ParseValidatorResultTest, RejectsDeepNesting) {
  std::string deep = std::string(2000, '[') + std::string(2000, ']');
  EXPECT_FALSE(ParseValidatorResult(deep, GateName::kData).ok());
}

TEST(ParseValidatorResultTest, RejectsNonNumericMetric) {
  EXPECT_FALSE(ParseValidatorResult(R"({"gate":"data","verdict":"Passed","metrics":{"x":"1"}})",
                                    GateName::kData)
                   .ok());
}

TEST(ParseValidatorResultTest, DropsNullMetrics) {
  Result<ValidatorResult> result = ParseValidatorResult(
      R"({"gate":"data","verdict":"Passed","metrics":{"x":null,"y":1}})", GateName::kData);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->metrics.size(), 1u);
}

TEST(JobOutcomeTest, PassedResultPassesTheGate) {
  GateOutcome outcome =
      ReadJobOutcome(Job("Complete"), {Pod(ValidatorTerminated(0, kPassed))}, GateName::kQuality);
  EXPECT_TRUE(outcome.finished);
  EXPECT_EQ(outcome.phase, GatePhase::kPassed);
  EXPECT_EQ(outcome.metrics.at("auc"), 0.91);
}

TEST(JobOutcomeTest, FailedResultFailsWithMeasuredNumber) {
  GateOutcome outcome =
      ReadJobOutcome(Job("Complete"), {Pod(ValidatorTerminated(0, kFailed))}, GateName::kQuality);
  EXPECT_EQ(outcome.phase, GatePhase::kFailed);
  EXPECT_THAT(outcome.message, HasSubstr("0.71"));
}

TEST(JobOutcomeTest, VerdictCountsBeforeJobIsMarkedComplete) {
  GateOutcome outcome =
      ReadJobOutcome(Job(), {Pod(ValidatorTerminated(0, kPassed))}, GateName::kQuality);
  EXPECT_TRUE(outcome.finished);
  EXPECT_EQ(outcome.phase, GatePhase::kPassed);
}

TEST(JobOutcomeTest, PassedWithNonZeroExitIsError) {
  GateOutcome outcome = ReadJobOutcome(Job("Failed", "BackoffLimitExceeded"),
                                       {Pod(ValidatorTerminated(1, kPassed))}, GateName::kQuality);
  EXPECT_EQ(outcome.phase, GatePhase::kError);
  EXPECT_EQ(outcome.reason, "ValidatorExited");
}

TEST(JobOutcomeTest, ActiveJobIsRunning) {
  Json running = {{"name", "validator"}, {"state", {{"running", Json::object()}}}};
  GateOutcome outcome = ReadJobOutcome(Job(), {Pod(running)}, GateName::kQuality);
  EXPECT_FALSE(outcome.finished);
  EXPECT_EQ(outcome.phase, GatePhase::kRunning);
}

TEST(JobOutcomeTest, JobWithoutPodsIsPending) {
  GateOutcome outcome = ReadJobOutcome(Job(), {}, GateName::kQuality);
  EXPECT_FALSE(outcome.finished);
  EXPECT_EQ(outcome.phase, GatePhase::kPending);
}

TEST(JobOutcomeTest, ValidatorErrorIsRetriedThenError) {
  GateOutcome retrying =
      ReadJobOutcome(Job(), {Pod(ValidatorTerminated(2, kError))}, GateName::kQuality);
  EXPECT_FALSE(retrying.finished);
  GateOutcome final = ReadJobOutcome(Job("Failed", "BackoffLimitExceeded"),
                                     {Pod(ValidatorTerminated(2, kError))}, GateName::kQuality);
  EXPECT_EQ(final.phase, GatePhase::kError);
  EXPECT_EQ(final.reason, "ValidatorError");
  EXPECT_THAT(final.message, HasSubstr("not found"));
}

TEST(JobOutcomeTest, ImagePullBackOffNamesTheImage) {
  Json waiting = {{"name", "candidate"},
                  {"image", "registry.local/fraud-server:3"},
                  {"state", {{"waiting", {{"reason", "ImagePullBackOff"}}}}}};
  Json validator = {{"name", "validator"},
                    {"state", {{"waiting", {{"reason", "PodInitializing"}}}}}};
  GateOutcome outcome = ReadJobOutcome(Job(), {Pod(validator, {waiting})}, GateName::kQuality);
  EXPECT_TRUE(outcome.finished);
  EXPECT_EQ(outcome.phase, GatePhase::kError);
  EXPECT_EQ(outcome.reason, "ImagePullFailed");
  EXPECT_THAT(outcome.message, HasSubstr("registry.local/fraud-server:3"));
}

TEST(JobOutcomeTest, OomKilledValidatorIsError) {
  GateOutcome outcome =
      ReadJobOutcome(Job("Failed", "BackoffLimitExceeded"),
                     {Pod(ValidatorTerminated(137, "", "OOMKilled"))}, GateName::kQuality);
  EXPECT_EQ(outcome.phase, GatePhase::kError);
  EXPECT_EQ(outcome.reason, "OOMKilled");
  EXPECT_THAT(outcome.message, HasSubstr("validator"));
}

TEST(JobOutcomeTest, KilledValidatorReportsExitCode) {
  GateOutcome outcome =
      ReadJobOutcome(Job("Failed", "BackoffLimitExceeded"),
                     {Pod(ValidatorTerminated(137, "", "Error"))}, GateName::kQuality);
  EXPECT_EQ(outcome.phase, GatePhase::kError);
  EXPECT_EQ(outcome.reason, "ValidatorExited");
  EXPECT_THAT(outcome.message, HasSubstr("code 137"));
}

TEST(JobOutcomeTest, DeadlineExceededIsError) {
  GateOutcome outcome = ReadJobOutcome(Job("Failed", "DeadlineExceeded"), {}, GateName::kQuality);
  EXPECT_EQ(outcome.phase, GatePhase::kError);
  EXPECT_EQ(outcome.reason, "DeadlineExceeded");
  EXPECT_THAT(outcome.message, HasSubstr("1200s"));
}

TEST(JobOutcomeTest, GarbageTerminationMessageIsErrorWithReason) {
  GateOutcome outcome =
      ReadJobOutcome(Job("Failed", "BackoffLimitExceeded"),
                     {Pod(ValidatorTerminated(1, "panic: oh no"))}, GateName::kQuality);
  EXPECT_EQ(outcome.phase, GatePhase::kError);
  EXPECT_EQ(outcome.reason, "InvalidResult");
  EXPECT_THAT(outcome.message, HasSubstr("not JSON"));
}

TEST(JobOutcomeTest, CompleteJobWithoutResultIsNeverPassed) {
  GateOutcome outcome =
      ReadJobOutcome(Job("Complete"), {Pod(ValidatorTerminated(0, ""))}, GateName::kQuality);
  EXPECT_EQ(outcome.phase, GatePhase::kError);
  EXPECT_EQ(outcome.reason, "NoResult");
}

TEST(JobOutcomeTest, NewestPodDecides) {
  GateOutcome outcome =
      ReadJobOutcome(Job("Complete"),
                     {Pod(ValidatorTerminated(0, kPassed), {}, "2026-01-01T00:05:00Z"),
                      Pod(ValidatorTerminated(2, kError), {}, "2026-01-01T00:00:00Z")},
                     GateName::kQuality);
  EXPECT_EQ(outcome.phase, GatePhase::kPassed);
}

}  // namespace
}  // namespace modelgate::op
