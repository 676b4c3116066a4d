#include "api/json_nesting.h"

#include <gtest/gtest.h>

#include <string>

namespace modelgate {
namespace {

TEST(JsonNestingDepthTest, CountsTheRootAsLevelOne) {
  EXPECT_EQ(JsonNestingDepth("7"), 0);
  EXPECT_EQ(JsonNestingDepth("{}"), 1);
  EXPECT_EQ(JsonNestingDepth(R"({"a": [1, {"b": []}], "c": {}})"), 4);
}

TEST(JsonNestingDepthTest, BracketsInsideStringsDoNotCount) {
  EXPECT_EQ(JsonNestingDepth(R"({"a": "[[[{{{", "b": "\"[[["})"), 1);
}

TEST(JsonNestingDepthTest, UnbalancedClosingBracketsAreIgnored) {
  EXPECT_EQ(JsonNestingDepth("]]][[["), 3);
}

TEST(JsonNestingDepthTest, DeepInputIsMeasuredWithoutRecursion) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(JsonNestingDepth(deep), 100000);
}

}  // namespace
}  // namespace modelgate
