#include "policy/policy_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/policy/policy_fixtures.h"

namespace modelgate::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::Policy;
using Ref = PolicySet::ExemptionRef;

LabelSelector Selecting(const std::string& key, const std::string& value) {
  LabelSelector s;
  s.match_labels[key] = value;
  return s;
}

TEST(PolicySetTest, SortsByName) {
  PolicySet set({Policy("b"), Policy("c"), Policy("a")});
  ASSERT_EQ(set.size(), 3u);
  EXPECT_EQ(set[0].metadata.name, "a");
  EXPECT_EQ(set[1].metadata.name, "b");
  EXPECT_EQ(set[2].metadata.name, "c");
}

TEST(PolicySetTest, PoliciesAskingTheSameOfAModelShareARequirementClass) {
  ModelGatePolicy a = Policy("a");
  a.spec.floors.push_back(MetricFloor{GateName::kQuality, "auc", 0.8, std::nullopt});
  ModelGatePolicy b = Policy("b");  // no floor
  ModelGatePolicy c = a;
  c.metadata.name = "c";
  c.spec.namespace_selector = Selecting("env", "prod");  // selectors do not count
  c.spec.enforcement = EnforcementMode::kWarn;
  ModelGatePolicy d = a;
  d.metadata.name = "d";
  d.spec.floors[0].min = 0.9;
  ModelGatePolicy e = a;
  e.metadata.name = "e";
  e.spec.max_validation_age = std::chrono::hours(1);
  ModelGatePolicy f = a;
  f.metadata.name = "f";
  f.spec.required_gates = {GateName::kQuality};
  PolicySet set({a, b, c, d, e, f});
  EXPECT_EQ(set.RequirementClass(0), 0u);
  EXPECT_EQ(set.RequirementClass(1), 1u);
  EXPECT_EQ(set.RequirementClass(2), 0u);
  EXPECT_EQ(set.RequirementClass(3), 3u);
  EXPECT_EQ(set.RequirementClass(4), 4u);
  EXPECT_EQ(set.RequirementClass(5), 5u);
}

TEST(PolicySetTest, EqualSelectorsShareAClassAndNoSelectorHasNone) {
  ModelGatePolicy a = Policy("a");
  a.spec.namespace_selector = Selecting("env", "prod");
  ModelGatePolicy b = Policy("b");
  ModelGatePolicy c = Policy("c");
  c.spec.namespace_selector = Selecting("env", "dev");
  c.spec.object_selector = Selecting("tier", "web");
  ModelGatePolicy d = Policy("d");
  d.spec.namespace_selector = Selecting("env", "prod");
  d.spec.object_selector = Selecting("tier", "web");
  ModelGatePolicy e = Policy("e");
  e.spec.namespace_selector = LabelSelector{};  // empty: selects all, but is a selector
  PolicySet set({a, b, c, d, e});
  EXPECT_EQ(set.NamespaceSelectorClass(0), 0u);
  EXPECT_EQ(set.NamespaceSelectorClass(1), PolicySet::kNoSelector);
  EXPECT_EQ(set.NamespaceSelectorClass(2), 2u);
  EXPECT_EQ(set.NamespaceSelectorClass(3), 0u);
  EXPECT_EQ(set.NamespaceSelectorClass(4), 4u);
  EXPECT_EQ(set.ObjectSelectorClass(0), PolicySet::kNoSelector);
  EXPECT_EQ(set.ObjectSelectorClass(2), 2u);
  EXPECT_EQ(set.ObjectSelectorClass(3), 2u);
}

TEST(PolicySetTest, FindsTheExemptionsThatNameARequestInPolicyOrder) {
  ModelGatePolicy a = Policy("a");
  PolicyExemption by_user;
  by_user.users = {"alice", "bob"};
  PolicyExemption by_namespace;
  by_namespace.namespaces = {"ml"};
  a.spec.exemptions = {by_user, by_namespace};
  ModelGatePolicy b = Policy("b");
  PolicyExemption by_group;
  by_group.groups = {"sre"};
  PolicyExemption by_sa;
  by_sa.service_accounts = {"argocd/controller"};
  b.spec.exemptions = {by_sa, by_group};
  ModelGatePolicy c = Policy("c");
  PolicyExemption twice;
  twice.users = {"alice"};
  twice.namespaces = {"ml"};
  c.spec.exemptions = {twice};
  PolicySet set({c, b, a});

  EXPECT_THAT(set.ExemptionsNaming("ml", "alice", "", {}),
              ElementsAre(Ref{0, 0}, Ref{0, 1}, Ref{2, 0}));
  EXPECT_THAT(set.ExemptionsNaming("dev", "carol", "", {"viewers", "sre"}), ElementsAre(Ref{1, 1}));
  EXPECT_THAT(set.ExemptionsNaming("dev", "carol", "argocd/controller", {}),
              ElementsAre(Ref{1, 0}));
  EXPECT_THAT(set.ExemptionsNaming("dev", "carol", "", {"viewers"}), IsEmpty());
  // A service account is looked up only as one: a user of the same name is not it.
  EXPECT_THAT(set.ExemptionsNaming("dev", "argocd/controller", "", {}), IsEmpty());
}

TEST(PolicySetTest, AnEmptySetAnswersEverything) {
  PolicySet set;
  EXPECT_TRUE(set.empty());
  EXPECT_THAT(set.ExemptionsNaming("ml", "alice", "ns/sa", {"sre"}), IsEmpty());
}

}  // namespace
}  // namespace modelgate::policy
