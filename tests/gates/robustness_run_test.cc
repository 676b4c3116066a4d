#include "gates/robustness_run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "gates/inference_http_endpoint.h"
#include "gates/robustness_case_generator.h"
#include "tests/gates/inference_scripted_server.h"

namespace modelgate::gates {
namespace {

using ::testing::HasSubstr;

// An endpoint whose answers come from a function of the batch.
class FakeEndpoint final : public InferenceEndpoint {
 public:
  explicit FakeEndpoint(std::function<InferenceExchange(const InferenceBatch&)> answer)
      : answer_(std::move(answer)) {}
  InferenceExchange Exchange(const InferenceBatch& batch) override { return answer_(batch); }
  Status WaitUntilReady(std::chrono::steady_clock::time_point) override { return Status::Ok(); }
  std::string Describe() const override { return "fake"; }

 private:
  std::function<InferenceExchange(const InferenceBatch&)> answer_;
};

InferenceExchange Answered(int status, std::vector<Prediction> predictions = {{}}) {
  InferenceExchange exchange;
  exchange.outcome = ExchangeOutcome::kAnswered;
  exchange.http_status = status;
  exchange.request_body = "{\"inputs\":[]}";
  exchange.response_body = "{}";
  if (status / 100 == 2) exchange.predictions = std::move(predictions);
  return exchange;
}

RobustnessCase Case(CaseExpectation expect) {
  RobustnessCase c;
  c.name = "case";
  c.origin = "generated";
  c.expect = expect;
  c.input.columns = {"x"};
  c.input.rows = {{1.0}};
  return c;
}

TEST(RobustnessRunTest, ValidCasePassesOnTwoHundredWithOnePrediction) {
  EXPECT_TRUE(JudgeCase(Case(CaseExpectation::kValid), Answered(200)).passed);
}

TEST(RobustnessRunTest, ServerErrorFailsWhateverWasExpected) {
  for (auto expect :
       {CaseExpectation::kValid, CaseExpectation::kInvalid, CaseExpectation::kHandled}) {
    CaseVerdict verdict = JudgeCase(Case(expect), Answered(500));
    EXPECT_FALSE(verdict.passed);
    EXPECT_THAT(verdict.reason, HasSubstr("HTTP 500"));
  }
}

TEST(RobustnessRunTest, InvalidCaseNeedsAClientError) {
  EXPECT_TRUE(JudgeCase(Case(CaseExpectation::kInvalid), Answered(422)).passed);
  CaseVerdict accepted = JudgeCase(Case(CaseExpectation::kInvalid), Answered(200));
  EXPECT_FALSE(accepted.passed);
  EXPECT_THAT(accepted.reason, HasSubstr("accepted"));
}

TEST(RobustnessRunTest, ValidCaseRejectedFails) {
  EXPECT_FALSE(JudgeCase(Case(CaseExpectation::kValid), Answered(400)).passed);
}

TEST(RobustnessRunTest, HandledCaseAcceptsAnswerOrRejection) {
  EXPECT_TRUE(JudgeCase(Case(CaseExpectation::kHandled), Answered(200)).passed);
  EXPECT_TRUE(JudgeCase(Case(CaseExpectation::kHandled), Answered(400)).passed);
}

TEST(RobustnessRunTest, TimeoutFails) {
  InferenceExchange exchange;
  exchange.outcome = ExchangeOutcome::kTimedOut;
  CaseVerdict verdict = JudgeCase(Case(CaseExpectation::kHandled), exchange);
  EXPECT_FALSE(verdict.passed);
  EXPECT_THAT(verdict.reason, HasSubstr("timed out"));
}

TEST(RobustnessRunTest, NonFiniteOutputFailsAValidCase) {
  InferenceExchange exchange = Answered(200);
  exchange.predictions.clear();
  exchange.error = Status::InvalidArgument("answer from fake holds a non-finite number");
  CaseVerdict verdict = JudgeCase(Case(CaseExpectation::kValid), exchange);
  EXPECT_FALSE(verdict.passed);
  EXPECT_THAT(verdict.reason, HasSubstr("non-finite"));
}

TEST(RobustnessRunTest, WrongNumberOfProbabilitiesFails) {
  Prediction prediction;
  prediction.probabilities = {0.2, 0.3, 0.5};
  RobustnessRunOptions options;
  options.expected_probabilities = 2;
  EXPECT_FALSE(
      JudgeCase(Case(CaseExpectation::kValid), Answered(200, {prediction}), options).passed);
}

TEST(RobustnessRunTest, ReportTruncatesLongRequests) {
  InferenceExchange exchange = Answered(500);
  exchange.request_body = std::string(20000, 'a');
  RobustnessRunOptions options;
  options.max_shown_bytes = 100;
  CaseVerdict verdict = JudgeCase(Case(CaseExpectation::kValid), exchange, options);
  EXPECT_LT(verdict.request.size(), 200u);
  EXPECT_THAT(verdict.request, HasSubstr("20000 bytes"));
}

TEST(RobustnessRunTest, GateFailsListingEveryFailingCase) {
  FakeEndpoint endpoint([](const InferenceBatch& batch) {
    return std::holds_alternative<std::monostate>(batch.rows[0][0]) ? Answered(500) : Answered(200);
  });
  FeatureSpec a;
  a.name = "a";
  a.nullable = true;
  FeatureSpec b = a;
  b.name = "b";
  auto cases = GenerateRobustnessCases({a, b}, {});
  auto verdicts = RunRobustnessCases(endpoint, cases);
  ASSERT_EQ(verdicts.size(), cases.size());
  GateResult result = RobustnessGateResult(verdicts, 0);
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_EQ(result.metrics["failed_cases"], 1);
  ASSERT_EQ(result.details["failures"].size(), 1u);
  EXPECT_EQ(result.details["failures"][0]["name"], "null in a");
  EXPECT_EQ(result.details["failures"][0]["httpStatus"], 500);
  EXPECT_THAT(result.message, HasSubstr("null in a"));
}

TEST(RobustnessRunTest, GatePassesWithinAllowedFailures) {
  std::vector<CaseVerdict> verdicts(3);
  verdicts[0].passed = true;
  verdicts[1].passed = true;
  EXPECT_EQ(RobustnessGateResult(verdicts, 1).verdict, GateVerdict::kPassed);
  EXPECT_EQ(RobustnessGateResult(verdicts, 0).verdict, GateVerdict::kFailed);
}

// End to end over HTTP: a server that crashes on nulls fails exactly the null cases.
TEST(RobustnessRunTest, ServerAnswering500ToNullsFailsTheNullCasesOverHttp) {
  testing::ScriptedServer server([](const testing::ScriptedRequest& request) {
    if (request.body.find("null") != std::string::npos ||
        request.body.find("NaN") != std::string::npos) {
      return testing::ScriptedAnswer::Respond(500, "Input X contains NaN");
    }
    return testing::ScriptedAnswer::Respond(
        200, R"({"outputs":[{"name":"predict","shape":[1],"datatype":"FP64","data":[1]}]})");
  });
  V2Options v2;
  v2.model_name = "m";
  auto endpoint = HttpInferenceEndpoint::Create({.base_url = server.url()}, MakeV2Protocol(v2));
  ASSERT_TRUE(endpoint.ok());
  FeatureSpec age;
  age.name = "age";
  age.nullable = true;
  auto verdicts = RunRobustnessCases(**endpoint, GenerateRobustnessCases({age}, {}));
  std::vector<std::string> failed;
  for (const auto& verdict : verdicts) {
    if (!verdict.passed) failed.push_back(verdict.name);
  }
  EXPECT_EQ(failed, (std::vector<std::string>{"null in age", "NaN in age"}));
}

}  // namespace
}  // namespace modelgate::gates
