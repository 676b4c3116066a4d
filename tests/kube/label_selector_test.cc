#include "kube/label_selector.h"

#include <gtest/gtest.h>

namespace modelgate::kube {
namespace {

const Json kLabels = {{"app", "fraud"}, {"tier", "serving"}, {"env", "prod"}};

bool Match(const std::string& selector) {
  Result<bool> r = MatchesLabelSelector(selector, kLabels);
  EXPECT_TRUE(r.ok()) << selector << ": " << r.status().ToString();
  return r.ok() && *r;
}

TEST(LabelSelectorTest, EqualityTerms) {
  EXPECT_TRUE(Match(""));
  EXPECT_TRUE(Match("app=fraud"));
  EXPECT_TRUE(Match("app==fraud,tier=serving"));
  EXPECT_FALSE(Match("app=churn"));
  EXPECT_TRUE(Match("app!=churn"));
  EXPECT_TRUE(Match("missing!=x"));
}

TEST(LabelSelectorTest, ExistenceTerms) {
  EXPECT_TRUE(Match("env"));
  EXPECT_FALSE(Match("!env"));
  EXPECT_TRUE(Match("!missing"));
}

TEST(LabelSelectorTest, SetTerms) {
  EXPECT_TRUE(Match("env in (prod,staging)"));
  EXPECT_FALSE(Match("env notin (prod, staging)"));
  EXPECT_TRUE(Match("missing notin (a)"));
  EXPECT_TRUE(Match("env in (prod),app=fraud"));
}

TEST(LabelSelectorTest, MalformedSelectorsAreErrors) {
  EXPECT_FALSE(MatchesLabelSelector("env in (prod", kLabels).ok());
  EXPECT_FALSE(MatchesLabelSelector("a,,b", kLabels).ok());
  EXPECT_FALSE(MatchesLabelSelector("env in prod", kLabels).ok());
}

TEST(LabelSelectorTest, FieldSelectorsFollowDottedPaths) {
  Json pod = {{"metadata", {{"name", "p"}, {"namespace", "ml"}}},
              {"status", {{"phase", "Running"}}}};
  EXPECT_TRUE(*MatchesFieldSelector("metadata.name=p,status.phase=Running", pod));
  EXPECT_FALSE(*MatchesFieldSelector("metadata.namespace!=ml", pod));
  EXPECT_FALSE(*MatchesFieldSelector("spec.nodeName=n1", pod));
  EXPECT_FALSE(MatchesFieldSelector("nonsense", pod).ok());
}

}  // namespace
}  // namespace modelgate::kube
