#include "api/yaml.h"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>

namespace modelgate {
namespace {

using nlohmann::json;

json ParseOk(const std::string& text) {
  auto j = ParseYaml(text, "test.yaml");
  EXPECT_TRUE(j.ok()) << j.status().ToString();
  return j.ok() ? *j : json();
}

TEST(YamlTest, TypesPlainScalarsLikeKubectl) {
  json j = ParseOk("i: 42\nf: 1.5\nb: true\ny: yes\nn: ~\ne:\ns: hello\nv: 1.0.0\nneg: -3\n");
  EXPECT_EQ(j["i"], 42);
  EXPECT_TRUE(j["i"].is_number_integer());
  EXPECT_EQ(j["f"], 1.5);
  EXPECT_EQ(j["b"], true);
  EXPECT_EQ(j["y"], true);
  EXPECT_TRUE(j["n"].is_null());
  EXPECT_TRUE(j["e"].is_null());
  EXPECT_EQ(j["s"], "hello");
  EXPECT_EQ(j["v"], "1.0.0");
  EXPECT_EQ(j["neg"], -3);
}

TEST(YamlTest, KeepsNumbersBeyondDoubleRangeAsStrings) {
  // As kubectl does; as numbers they were infinities, which JSON cannot carry.
  auto j = ParseYaml("big: 1e999\nsmall: -2e400\ntiny: 1e-400\n", "range.yaml");
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ((*j)["big"], "1e999");
  EXPECT_EQ((*j)["small"], "-2e400");
  EXPECT_EQ((*j)["tiny"], 0.0);
}

TEST(YamlTest, KeepsQuotedScalarsAsStrings) {
  json j = ParseOk("a: \"true\"\nb: '42'\nc: !!str 7\nd: |\n  multi\n  line\n");
  EXPECT_EQ(j["a"], "true");
  EXPECT_EQ(j["b"], "42");
  EXPECT_EQ(j["c"], "7");
  EXPECT_EQ(j["d"], "multi\nline\n");
}

TEST(YamlTest, TurnsKeysIntoStrings) {
  json j = ParseOk("1: one\ntrue: yes\n");
  EXPECT_EQ(j["1"], "one");
  EXPECT_EQ(j["true"], true);
}

TEST(YamlTest, ExpandsSmallAliases) {
  json j = ParseOk("base: &b {port: 8080}\ncopy: *b\n");
  EXPECT_EQ(j["copy"]["port"], 8080);
}

TEST(YamlTest, SplitsMultiDocumentStreamsAndSkipsEmptyOnes) {
  auto docs = ParseYamlDocuments("---\na: 1\n---\n---\nb: 2\n---\n", "multi.yaml");
  ASSERT_TRUE(docs.ok()) << docs.status().ToString();
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0]["a"], 1);
  EXPECT_EQ((*docs)[1]["b"], 2);
}

TEST(YamlTest, ParseYamlRefusesTwoDocuments) {
  auto j = ParseYaml("a: 1\n---\nb: 2\n", "two.yaml");
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.status().message().find("exactly one"), std::string::npos);
}

TEST(YamlTest, SyntaxErrorNamesSourceLineAndColumn) {
  auto j = ParseYaml("spec:\n  model: fraud\n  version: [1, 2\n", "mv.yaml");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(std::regex_search(j.status().message(), std::regex(R"(^mv\.yaml:\d+:\d+: )")))
      << j.status().message();
}

TEST(YamlTest, RefusesDuplicateKeysWithPosition) {
  auto j = ParseYaml("a: 1\nb: 2\na: 3\n", "dup.yaml");
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.status().message().find("dup.yaml:3:1: duplicate key \"a\""), std::string::npos)
      << j.status().message();
}

TEST(YamlTest, RefusesUnknownAlias) {
  auto j = ParseYaml("a: *nowhere\n", "alias.yaml");
  EXPECT_FALSE(j.ok());
}

TEST(YamlTest, RefusesAliasBombQuickly) {
  // Nine levels of ten aliases each: a billion strings if expanded.
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 9; ++i) {
    std::string prev = "*l" + std::to_string(i - 1);
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", " : "") + prev;
    text += "]\n";
  }
  auto start = std::chrono::steady_clock::now();
  auto j = ParseYaml(text, "bomb.yaml");
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), Status::Code::kResourceExhausted);
  EXPECT_NE(j.status().message().find("alias"), std::string::npos) << j.status().message();
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(YamlTest, RefusesDeepFlowNesting) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "{a: ";
  text += "1" + std::string(100000, '}');
  auto j = ParseYaml(text, "deep.yaml");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), Status::Code::kResourceExhausted);
  EXPECT_NE(j.status().message().find("deep.yaml:1:257: nesting deeper than 64"), std::string::npos)
      << j.status().message();
}

TEST(YamlTest, RefusesUnclosedBracketsWithoutCrashing) {
  std::string text(100000, '[');
  EXPECT_FALSE(ParseYaml(text, "brackets.yaml").ok());
}

TEST(YamlTest, RefusesDeepBlockNesting) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += std::string(i, ' ') + "k:\n";
  auto j = ParseYaml(text, "block.yaml");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), Status::Code::kResourceExhausted);
}

TEST(YamlTest, AcceptsNestingUpToTheLimit) {
  std::string text = std::string(64, '[') + std::string(64, ']');
  EXPECT_TRUE(ParseYaml(text, "ok.yaml").ok());
}

TEST(YamlTest, RefusesHundredMegabytesBeforeParsing) {
  std::string text(100 << 20, 'a');
  auto start = std::chrono::steady_clock::now();
  auto j = ParseYaml(text, "huge.yaml");
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), Status::Code::kResourceExhausted);
  EXPECT_NE(j.status().message().find("huge.yaml: input of 104857600 bytes"), std::string::npos)
      << j.status().message();
  EXPECT_LT(elapsed, std::chrono::milliseconds(100));
}

TEST(YamlTest, RefusesTooManyDocuments) {
  std::string text;
  for (int i = 0; i < 20; ++i) text += "---\na: 1\n";
  YamlLimits limits;
  limits.max_documents = 10;
  auto docs = ParseYamlDocuments(text, "many.yaml", limits);
  ASSERT_FALSE(docs.ok());
  EXPECT_EQ(docs.status().code(), Status::Code::kResourceExhausted);
}

}  // namespace
}  // namespace modelgate
