#include "gates/robustness_user_cases.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace modelgate::gates {
namespace {

using ::testing::HasSubstr;

TEST(RobustnessUserCasesTest, ParsesCasesKeepingFeatureOrder) {
  auto cases = ParseUserCases(
      "{\"name\":\"empty basket\",\"input\":{\"zeta\":0,\"alpha\":\"NO\",\"gone\":null},"
      "\"expect\":\"valid\"}\n"
      "\n"
      "{\"name\":\"matrix\",\"input\":{\"img\":[[1,2],[3,4]],\"flag\":true},\"expect\":\"invalid\"}"
      "\r\n",
      "cases.jsonl");
  ASSERT_TRUE(cases.ok()) << cases.status().ToString();
  ASSERT_EQ(cases->size(), 2u);
  const auto& first = (*cases)[0];
  EXPECT_EQ(first.name, "empty basket");
  EXPECT_EQ(first.origin, "cases.jsonl:1:1");
  EXPECT_EQ(first.input.columns, (std::vector<std::string>{"zeta", "alpha", "gone"}));
  EXPECT_EQ(std::get<std::string>(first.input.rows[0][1]), "NO");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(first.input.rows[0][2]));
  const auto& second = (*cases)[1];
  EXPECT_EQ(second.origin, "cases.jsonl:3:1");
  EXPECT_EQ(second.expect, CaseExpectation::kInvalid);
  const auto& tensor = std::get<FeatureTensor>(second.input.rows[0][0]);
  EXPECT_EQ(tensor.shape, (std::vector<std::size_t>{2, 2}));
  EXPECT_EQ(tensor.data, (std::vector<double>{1, 2, 3, 4}));
  EXPECT_EQ(std::get<double>(second.input.rows[0][1]), 1.0);
}

TEST(RobustnessUserCasesTest, BrokenJsonNamesFileLineAndColumn) {
  auto cases = ParseUserCases(
      "{\"name\":\"a\",\"input\":{},\"expect\":\"valid\"}\n{\"name\": oops}\n", "u.jsonl");
  ASSERT_FALSE(cases.ok());
  EXPECT_THAT(cases.status().message(), HasSubstr("u.jsonl:2:"));
  EXPECT_THAT(cases.status().message(), HasSubstr("not JSON"));
}

TEST(RobustnessUserCasesTest, UnknownExpectationIsAnError) {
  auto cases = ParseUserCases("{\"name\":\"a\",\"input\":{},\"expect\":\"maybe\"}", "u.jsonl");
  ASSERT_FALSE(cases.ok());
  EXPECT_THAT(cases.status().message(), HasSubstr("u.jsonl:1:1"));
  EXPECT_THAT(cases.status().message(), HasSubstr("expect"));
}

TEST(RobustnessUserCasesTest, MissingInputIsAnError) {
  auto cases = ParseUserCases("{\"name\":\"a\",\"expect\":\"valid\"}", "u.jsonl");
  ASSERT_FALSE(cases.ok());
  EXPECT_THAT(cases.status().message(), HasSubstr("input"));
}

TEST(RobustnessUserCasesTest, RaggedTensorIsAnError) {
  auto cases = ParseUserCases("{\"name\":\"a\",\"input\":{\"m\":[[1,2],[3]]},\"expect\":\"valid\"}",
                              "u.jsonl");
  ASSERT_FALSE(cases.ok());
  EXPECT_THAT(cases.status().message(), HasSubstr("input.m"));
  EXPECT_THAT(cases.status().message(), HasSubstr("rectangular"));
}

TEST(RobustnessUserCasesTest, DeepNestingIsBounded) {
  std::string line =
      "{\"name\":\"a\",\"expect\":\"valid\",\"input\":{\"m\":" + std::string(5000, '[') +
      std::string(5000, ']') + "}}";
  auto cases = ParseUserCases(line, "u.jsonl");
  ASSERT_FALSE(cases.ok());
  EXPECT_THAT(cases.status().message(), HasSubstr("nested deeper"));
}

TEST(RobustnessUserCasesTest, CaseCountIsBounded) {
  std::string text;
  for (int i = 0; i < 3; ++i) text += "{\"name\":\"a\",\"input\":{},\"expect\":\"valid\"}\n";
  UserCaseLimits limits;
  limits.max_cases = 2;
  auto cases = ParseUserCases(text, "u.jsonl", limits);
  ASSERT_FALSE(cases.ok());
  EXPECT_EQ(cases.status().code(), Status::Code::kResourceExhausted);
  EXPECT_THAT(cases.status().message(), HasSubstr("u.jsonl:3"));
}

TEST(RobustnessUserCasesTest, EmptyFileHasNoCases) {
  auto cases = ParseUserCases("", "u.jsonl");
  ASSERT_TRUE(cases.ok());
  EXPECT_TRUE(cases->empty());
}

}  // namespace
}  // namespace modelgate::gates
