#include "api/label_selector.h"

#include <gtest/gtest.h>

namespace modelgate {
namespace {

LabelSelector Parse(const nlohmann::json& j) {
  auto s = LabelSelectorFromJson(j, "spec.namespaceSelector");
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : LabelSelector{};
}

TEST(LabelSelectorTest, EmptySelectorMatchesEverything) {
  EXPECT_TRUE(LabelSelector{}.Matches({}));
  EXPECT_TRUE(LabelSelector{}.Matches({{"a", "b"}}));
}

TEST(LabelSelectorTest, MatchLabelsNeedsEveryPair) {
  LabelSelector s = Parse({{"matchLabels", {{"modelgate.io/enforce", "true"}, {"tier", "prod"}}}});
  EXPECT_TRUE(s.Matches({{"modelgate.io/enforce", "true"}, {"tier", "prod"}, {"x", "y"}}));
  EXPECT_FALSE(s.Matches({{"modelgate.io/enforce", "true"}}));
  EXPECT_FALSE(s.Matches({{"modelgate.io/enforce", "false"}, {"tier", "prod"}}));
}

TEST(LabelSelectorTest, ExpressionsFollowKubernetesRules) {
  LabelSelector s = Parse({{"matchExpressions",
                            {{{"key", "env"}, {"operator", "In"}, {"values", {"prod", "staging"}}},
                             {{"key", "legacy"}, {"operator", "DoesNotExist"}},
                             {{"key", "team"}, {"operator", "Exists"}},
                             {{"key", "tier"}, {"operator", "NotIn"}, {"values", {"test"}}}}}});
  EXPECT_TRUE(s.Matches({{"env", "prod"}, {"team", "ml"}}));
  EXPECT_FALSE(s.Matches({{"env", "dev"}, {"team", "ml"}}));
  EXPECT_FALSE(s.Matches({{"env", "prod"}, {"team", "ml"}, {"legacy", "1"}}));
  EXPECT_FALSE(s.Matches({{"env", "prod"}}));
  EXPECT_FALSE(s.Matches({{"env", "prod"}, {"team", "ml"}, {"tier", "test"}}));
}

TEST(LabelSelectorTest, InWithoutValuesIsRefused) {
  auto s = LabelSelectorFromJson({{"matchExpressions", {{{"key", "env"}, {"operator", "In"}}}}},
                                 "spec.objectSelector");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(
      s.status().message(),
      "spec.objectSelector.matchExpressions[0].values: must be non-empty when operator is In");
}

TEST(LabelSelectorTest, UnknownOperatorIsRefused) {
  auto s = LabelSelectorFromJson(
      {{"matchExpressions", {{{"key", "env"}, {"operator", "Matches"}}}}}, "spec.objectSelector");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("spec.objectSelector.matchExpressions[0].operator"),
            std::string::npos);
}

TEST(LabelSelectorTest, JsonRoundTrips) {
  nlohmann::json j = {{"matchLabels", {{"a", "b"}}},
                      {"matchExpressions", {{{"key", "k"}, {"operator", "Exists"}}}}};
  EXPECT_EQ(ToJson(Parse(j)), j);
}

}  // namespace
}  // namespace modelgate
