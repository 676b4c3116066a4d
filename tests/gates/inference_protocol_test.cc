#include "gates/inference_protocol.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace modelgate::gates {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

InferenceBatch TwoRows() {
  InferenceBatch batch;
  batch.columns = {"age", "city"};
  batch.rows = {{30.0, std::string("Oslo")}, {std::monostate{}, std::string("Lima")}};
  return batch;
}

InferenceBatch NumericRows() {
  InferenceBatch batch;
  batch.columns = {"a", "b"};
  batch.rows = {{1.0, 2.5}, {3.0, -4.0}};
  return batch;
}

TEST(V2ProtocolTest, EncodesSingleTensorAsTwoDimensionalFp64) {
  V2Options options;
  options.model_name = "iris";
  auto protocol = MakeV2Protocol(options);
  auto request = nlohmann::json::parse(protocol->EncodeRequest(NumericRows()));
  const auto& input = request["inputs"][0];
  EXPECT_EQ(input["name"], "input-0");
  EXPECT_EQ(input["shape"], nlohmann::json::parse("[2,2]"));
  EXPECT_EQ(input["datatype"], "FP64");
  EXPECT_EQ(input["data"], nlohmann::json::parse("[[1,2.5],[3,-4]]"));
  EXPECT_EQ(protocol->InferPath(), "/v2/models/iris/infer");
}

TEST(V2ProtocolTest, EncodesOneInputPerColumnWithPandasContentType) {
  V2Options options;
  options.model_name = "m";
  options.layout = V2InputLayout::kTensorPerColumn;
  options.requested_outputs = {"predict", "predict_proba"};
  auto request = nlohmann::json::parse(MakeV2Protocol(options)->EncodeRequest(TwoRows()));
  ASSERT_EQ(request["inputs"].size(), 2u);
  EXPECT_EQ(request["inputs"][0]["name"], "age");
  EXPECT_EQ(request["inputs"][0]["datatype"], "FP64");
  EXPECT_EQ(request["inputs"][0]["data"], nlohmann::json::parse("[30,null]"));
  EXPECT_EQ(request["inputs"][1]["datatype"], "BYTES");
  EXPECT_EQ(request["inputs"][1]["shape"], nlohmann::json::parse("[2]"));
  EXPECT_EQ(request["parameters"]["content_type"], "pd");
  EXPECT_EQ(request["outputs"][1]["name"], "predict_proba");
}

TEST(V2ProtocolTest, VersionedModelPath) {
  V2Options options;
  options.model_name = "m";
  options.model_version = "3";
  EXPECT_EQ(MakeV2Protocol(options)->InferPath(), "/v2/models/m/versions/3/infer");
}

TEST(V2ProtocolTest, DecodesMlserverPredictAndProbabilities) {
  const std::string answer =
      R"({"model_name":"good","outputs":[)"
      R"({"name":"predict","shape":[2,1],"datatype":"INT64","data":[1,0]},)"
      R"({"name":"predict_proba","shape":[2,2],"datatype":"FP64","data":[0.2,0.8,0.9,0.1]}]})";
  auto predictions = MakeV2Protocol({})->DecodeAnswer(answer, 2, "ep");
  ASSERT_TRUE(predictions.ok()) << predictions.status().ToString();
  EXPECT_EQ((*predictions)[0].value, 1);
  EXPECT_EQ((*predictions)[1].value, 0);
  EXPECT_THAT((*predictions)[0].probabilities, ElementsAre(0.2, 0.8));
  EXPECT_THAT((*predictions)[1].probabilities, ElementsAre(0.9, 0.1));
}

TEST(V2ProtocolTest, TakesArgmaxWhenOnlyProbabilitiesCome) {
  const std::string answer =
      R"({"outputs":[{"name":"p","shape":[1,3],"datatype":"FP32","data":[[0.1,0.7,0.2]]}]})";
  auto predictions = MakeV2Protocol({})->DecodeAnswer(answer, 1, "ep");
  ASSERT_TRUE(predictions.ok());
  EXPECT_EQ((*predictions)[0].value, 1);
}

TEST(V2ProtocolTest, RejectsWrongRowCountNamingEndpoint) {
  const std::string answer =
      R"({"outputs":[{"name":"predict","shape":[3],"datatype":"FP64","data":[1,2,3]}]})";
  auto predictions = MakeV2Protocol({})->DecodeAnswer(answer, 2, "http://x/infer");
  ASSERT_FALSE(predictions.ok());
  EXPECT_THAT(predictions.status().message(), HasSubstr("http://x/infer"));
}

TEST(V2ProtocolTest, RejectsNanInOutput) {
  const std::string answer =
      R"({"outputs":[{"name":"predict","shape":[1],"datatype":"FP64","data":[NaN]}]})";
  auto predictions = MakeV2Protocol({})->DecodeAnswer(answer, 1, "ep");
  ASSERT_FALSE(predictions.ok());
  EXPECT_THAT(predictions.status().message(), HasSubstr("non-finite"));
}

TEST(V2ProtocolTest, RejectsOverflowingNumberAsNonFinite) {
  const std::string answer =
      R"({"outputs":[{"name":"predict","shape":[1],"datatype":"FP64","data":[1e999]}]})";
  auto predictions = MakeV2Protocol({})->DecodeAnswer(answer, 1, "ep");
  ASSERT_FALSE(predictions.ok());
}

TEST(V2ProtocolTest, RejectsGarbage) {
  auto predictions = MakeV2Protocol({})->DecodeAnswer("<html>oops</html>", 1, "ep");
  ASSERT_FALSE(predictions.ok());
  EXPECT_THAT(predictions.status().message(), HasSubstr("not JSON"));
}

TEST(V2ProtocolTest, RejectsDeepNesting) {
  std::string deep(10000, '[');
  auto predictions = MakeV2Protocol({})->DecodeAnswer(deep, 1, "ep");
  ASSERT_FALSE(predictions.ok());
  EXPECT_THAT(predictions.status().message(), HasSubstr("nested deeper"));
}

TEST(V2ProtocolTest, OutputNameOfAnotherTypeIsNotAnException) {
  // json::value threw type_error for it, ending the validator instead of failing the answer.
  const std::string answer = R"({"outputs":[{"name":[1],"shape":[1],"datatype":7,"data":[0.5]}]})";
  auto predictions = MakeV2Protocol({})->DecodeAnswer(answer, 1, "ep");
  ASSERT_TRUE(predictions.ok()) << predictions.status().ToString();
  EXPECT_EQ((*predictions)[0].value, 0.5);
}

TEST(V2ProtocolTest, RejectsOutputThatIsNotAnObject) {
  auto predictions = MakeV2Protocol({})->DecodeAnswer(R"({"outputs":[1]})", 1, "ep");
  ASSERT_FALSE(predictions.ok());
  EXPECT_EQ(predictions.status().message(), "answer from ep, output 0 is not an object");
}

TEST(V2ProtocolTest, RejectsAnswerWithoutOutputs) {
  auto predictions = MakeV2Protocol({})->DecodeAnswer(R"({"error":"x"})", 1, "ep");
  ASSERT_FALSE(predictions.ok());
  EXPECT_THAT(predictions.status().message(), HasSubstr("outputs"));
}

TEST(MlflowProtocolTest, EncodesDataframeSplit) {
  auto request = nlohmann::json::parse(MakeMlflowProtocol()->EncodeRequest(TwoRows()));
  EXPECT_EQ(request, nlohmann::json::parse(R"({"dataframe_split":{"columns":["age","city"],)"
                                           R"("data":[[30,"Oslo"],[null,"Lima"]]}})"));
}

TEST(MlflowProtocolTest, DecodesWrappedAndBarePredictionLists) {
  auto protocol = MakeMlflowProtocol();
  auto wrapped = protocol->DecodeAnswer(R"({"predictions":[0.5,[0.1,0.9]]})", 2, "ep");
  ASSERT_TRUE(wrapped.ok()) << wrapped.status().ToString();
  EXPECT_EQ((*wrapped)[0].value, 0.5);
  EXPECT_EQ((*wrapped)[1].value, 1);
  auto bare = protocol->DecodeAnswer(R"(["yes","no"])", 2, "ep");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ((*bare)[1].label, "no");
}

TEST(TfServingProtocolTest, EncodesNamedInstancesAndChecksAvailability) {
  TfServingOptions options;
  options.model_name = "half";
  auto protocol = MakeTfServingProtocol(options);
  auto request = nlohmann::json::parse(protocol->EncodeRequest(NumericRows()));
  EXPECT_EQ(request, nlohmann::json::parse(R"({"instances":[{"a":1,"b":2.5},{"a":3,"b":-4}]})"));
  EXPECT_EQ(protocol->InferPath(), "/v1/models/half:predict");
  EXPECT_FALSE(protocol->IsReadyAnswer("/v1/models/half", 200,
                                       R"({"model_version_status":[{"state":"LOADING"}]})"));
  EXPECT_TRUE(protocol->IsReadyAnswer("/v1/models/half", 200,
                                      R"({"model_version_status":[{"state":"AVAILABLE"}]})"));
}

TEST(TfServingProtocolTest, DecodesObjectsWithScores) {
  auto predictions = MakeTfServingProtocol({})->DecodeAnswer(
      R"({"predictions":[{"scores":[0.3,0.7],"classes":1}]})", 1, "ep");
  ASSERT_TRUE(predictions.ok()) << predictions.status().ToString();
  EXPECT_EQ((*predictions)[0].value, 1);
  EXPECT_THAT((*predictions)[0].probabilities, ElementsAre(0.3, 0.7));
}

TEST(TfServingProtocolTest, ReportsErrorAnswer) {
  auto predictions = MakeTfServingProtocol({})->DecodeAnswer(R"({"error":"bad input"})", 1, "ep");
  ASSERT_FALSE(predictions.ok());
  EXPECT_THAT(predictions.status().message(), HasSubstr("bad input"));
}

TEST(InferenceProtocolTest, UnknownProtocolNameIsAnError) {
  auto protocol = MakeInferenceProtocol("grpc-magic", "m");
  ASSERT_FALSE(protocol.ok());
  EXPECT_THAT(protocol.status().message(), HasSubstr("grpc-magic"));
}

TEST(InferenceJsonTest, WritesNonFiniteNumbersAsPythonReadsThem) {
  std::string out;
  AppendJsonNumber(out, std::numeric_limits<double>::quiet_NaN());
  out += ',';
  AppendJsonNumber(out, -std::numeric_limits<double>::infinity());
  out += ',';
  AppendJsonNumber(out, 0.1);
  EXPECT_EQ(out, "NaN,-Infinity,0.1");
}

TEST(InferenceJsonTest, EscapesControlCharactersAndKeepsUtf8) {
  std::string out;
  AppendJsonString(out, "a\"b\\\n\x01\xc3\xa9");
  EXPECT_EQ(out, "\"a\\\"b\\\\\\n\\u0001\xc3\xa9\"");
}

TEST(InferenceJsonTest, WritesTensorsAsNestedArrays) {
  std::string out;
  AppendJsonTensor(out, FeatureTensor{{2, 3}, {1, 2, 3, 4, 5, 6}});
  EXPECT_EQ(out, "[[1,2,3],[4,5,6]]");
}

TEST(InferenceJsonTest, RejectsAnswersOverTheSizeBound) {
  JsonLimits limits;
  limits.max_bytes = 10;
  auto parsed = ParseAnswerJson("[1,2,3,4,5,6,7,8]", limits, "ep");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), Status::Code::kResourceExhausted);
}

}  // namespace
}  // namespace modelgate::gates
