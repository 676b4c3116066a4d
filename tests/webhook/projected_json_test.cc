#include "webhook/projected_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace modelgate::webhook {
namespace {

using nlohmann::json;
using policy::FieldUse;

// Keeps "keep" whole, looks into "look" (and "look.look"), and drops everything else.
FieldUse LookAndKeep(std::span<const std::string> path) {
  if (path.empty()) return FieldUse::kPartly;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    if (path[i] != "look") return FieldUse::kUnused;
  }
  if (path.back() == "keep") return FieldUse::kWhole;
  if (path.back() == "look") return FieldUse::kPartly;
  return FieldUse::kUnused;
}

Result<json> Parse(const std::string& text, int max_depth = 64) {
  return ParseProjectedJson(text.data(), text.size(), LookAndKeep, max_depth);
}

TEST(ProjectedJsonTest, KeepsOnlyUsedFields) {
  auto r = Parse(R"({"keep": {"a": [1, {"b": null}]}, "drop": {"x": [1, 2, {"y": 3}]},
                    "look": {"keep": "k", "drop": 1, "look": {"keep": [true], "z": {}}}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, json::parse(R"({"keep": {"a": [1, {"b": null}]},
                                "look": {"keep": "k", "look": {"keep": [true]}}})"));
}

TEST(ProjectedJsonTest, PartlyUsedArrayIsLeftOutAndScalarKept) {
  auto r = Parse(R"({"look": [{"keep": 1}], "keep": 2})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, json::parse(R"({"keep": 2})"));
  r = Parse(R"({"look": "not an object"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, json::parse(R"({"look": "not an object"})"));
}

TEST(ProjectedJsonTest, NonObjectRootIsKept) {
  auto r = Parse("[1, 2]");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_array());
  EXPECT_EQ(*Parse("7"), 7);
}

TEST(ProjectedJsonTest, SyntaxErrorNamesLineAndColumn) {
  auto r = Parse("{\"drop\": [1,\n 2,, 3]}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("malformed JSON: parse error at line 2, column 4"),
            std::string::npos)
      << r.status().message();
  EXPECT_FALSE(Parse("").ok());
  EXPECT_FALSE(Parse(R"({"a": 1} trailing)").ok());
}

TEST(ProjectedJsonTest, RefusesNulByteAfterADocument) {
  // nlohmann's lexer alone stops at a NUL and would accept the review before it.
  auto r = Parse(std::string("{\"keep\": 1}\0{\"keep\": 2}", 23));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "malformed JSON: NUL byte at offset 11");
}

TEST(ProjectedJsonTest, DepthCountsLeftOutParts) {
  std::string deep = R"({"drop": )" + std::string(70, '[') + std::string(70, ']') + "}";
  auto r = Parse(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kResourceExhausted);
  EXPECT_TRUE(Parse(R"({"drop": )" + std::string(60, '[') + std::string(60, ']') + "}").ok());
}

TEST(ProjectedJsonTest, VeryDeepInputFailsWithoutRecursion) {
  auto r = Parse(std::string(1'000'000, '['));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kResourceExhausted);
}

TEST(ProjectedJsonTest, DuplicateKeysKeepTheLast) {
  auto r = Parse(R"({"keep": 1, "keep": 2})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["keep"], 2);
}

}  // namespace
}  // namespace modelgate::webhook
