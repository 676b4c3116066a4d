// The chart's RBAC grants the operator and the webhook what their code uses and nothing more.
// Grants are computed from the rendered Roles, ClusterRoles and their bindings, the way the
// API server's authorizer reads them.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/ship/rendered_chart.h"

namespace modelgate::ship {
namespace {

using Json = nlohmann::json;

// "scope group/resource verb [name]": scope is "cluster" or a namespace, group "" for core.
using Grants = std::set<std::string>;

void AddRules(const Json& role, const std::string& scope, Grants* grants) {
  for (const Json& rule : role.value("rules", Json::array())) {
    for (const Json& group : rule.value("apiGroups", Json::array())) {
      for (const Json& resource : rule.value("resources", Json::array())) {
        for (const Json& verb : rule.value("verbs", Json::array())) {
          const std::string base = scope + " " + group.get<std::string>() + "/" +
                                   resource.get<std::string>() + " " + verb.get<std::string>();
          const Json names = rule.value("resourceNames", Json::array());
          if (names.empty()) grants->insert(base);
          for (const Json& name : names) grants->insert(base + " " + name.get<std::string>());
        }
      }
    }
  }
}

// Everything the service account NAME in the release namespace may do.
Grants GrantsOf(const std::vector<Json>& manifests, const std::string& service_account) {
  Grants grants;
  for (const std::string binding_kind : {"ClusterRoleBinding", "RoleBinding"}) {
    for (const Json& binding : OfKind(manifests, binding_kind)) {
      bool bound = false;
      for (const Json& subject : binding.value("subjects", Json::array())) {
        bound |= subject.value("kind", "") == "ServiceAccount" &&
                 subject.value("name", "") == service_account &&
                 subject.value("namespace", "") == kReleaseNamespace;
      }
      if (!bound) continue;
      const std::string role_kind = binding["roleRef"].value("kind", "");
      const std::string role_name = binding["roleRef"].value("name", "");
      Json role = Named(manifests, role_kind, role_name);
      EXPECT_FALSE(role.is_null())
          << binding_kind << " refers to a missing " << role_kind << " " << role_name;
      if (role.is_null()) continue;
      const std::string scope = binding_kind == "ClusterRoleBinding"
                                    ? "cluster"
                                    : binding["metadata"].value("namespace", "");
      if (role_kind == "Role") {
        EXPECT_EQ(role["metadata"].value("namespace", ""), scope) << role_name;
      }
      AddRules(role, scope, &grants);
    }
  }
  return grants;
}

Grants Scoped(const std::string& scope, const std::set<std::string>& rules) {
  Grants out;
  for (const std::string& r : rules) out.insert(scope + " " + r);
  return out;
}

// What the operator does in the namespaces of the ModelVersions it validates.
const std::set<std::string> kOperatorWorkloadRules = {
    "modelgate.io/modelversions get",
    "modelgate.io/modelversions list",
    "modelgate.io/modelversions watch",
    "modelgate.io/modelversions/status update",
    "modelgate.io/modelversions/finalizers update",
    "batch/jobs get",
    "batch/jobs list",
    "batch/jobs watch",
    "batch/jobs create",
    "batch/jobs delete",
    "/configmaps create",
    "/configmaps delete",
    "/pods get",
    "/pods list",
    "/pods watch",
    "events.k8s.io/events create",
    "events.k8s.io/events patch",
};
const std::set<std::string> kOperatorClusterRules = {"modelgate.io/modelgatepolicies get",
                                                     "modelgate.io/modelgatepolicies list",
                                                     "modelgate.io/modelgatepolicies watch",
                                                     "/namespaces get",
                                                     "/namespaces list",
                                                     "/namespaces watch"};
const std::set<std::string> kLeaseRules = {
    "coordination.k8s.io/leases create",
    "coordination.k8s.io/leases get modelgate-operator",
    "coordination.k8s.io/leases update modelgate-operator",
};

Grants Union(std::initializer_list<Grants> parts) {
  Grants out;
  for (const Grants& p : parts) out.insert(p.begin(), p.end());
  return out;
}

TEST(ChartRbacTest, OperatorMayDoExactlyWhatItsCodeDoes) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  EXPECT_EQ(
      GrantsOf(*manifests, "modelgate-operator"),
      Union({Scoped("cluster", kOperatorWorkloadRules), Scoped("cluster", kOperatorClusterRules),
             Scoped(kReleaseNamespace, kLeaseRules)}));
}

TEST(ChartRbacTest, WebhookOnlyReadsModelVersionsPoliciesAndNamespaces) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  EXPECT_EQ(GrantsOf(*manifests, "modelgate-webhook"),
            Scoped("cluster",
                   {"modelgate.io/modelversions get", "modelgate.io/modelversions list",
                    "modelgate.io/modelversions watch", "modelgate.io/modelgatepolicies get",
                    "modelgate.io/modelgatepolicies list", "modelgate.io/modelgatepolicies watch",
                    "/namespaces get", "/namespaces list", "/namespaces watch"}));
}

TEST(ChartRbacTest, WatchNamespaceConfinesTheOperatorsWorkloadRightsToIt) {
  auto manifests = RenderChart("--set operator.watchNamespace=ml");
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  EXPECT_EQ(GrantsOf(*manifests, "modelgate-operator"),
            Union({Scoped("ml", kOperatorWorkloadRules), Scoped("cluster", kOperatorClusterRules),
                   Scoped(kReleaseNamespace, kLeaseRules)}));
}

TEST(ChartRbacTest, WithoutLeaderElectionThereIsNoLeaseRole) {
  auto manifests = RenderChart("--set operator.leaderElection.enabled=false");
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  for (const std::string& grant : GrantsOf(*manifests, "modelgate-operator")) {
    EXPECT_EQ(grant.find("leases"), std::string::npos) << grant;
  }
}

TEST(ChartRbacTest, NoRuleUsesAWildcardOrTouchesSecrets) {
  auto manifests = RenderChart("--set webhook.certManager.enabled=true");
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  for (const std::string kind : {"ClusterRole", "Role"}) {
    for (const Json& role : OfKind(*manifests, kind)) {
      Grants grants;
      AddRules(role, "any", &grants);
      for (const std::string& g : grants) {
        EXPECT_EQ(g.find('*'), std::string::npos) << role["metadata"]["name"] << ": " << g;
        EXPECT_EQ(g.find("/secrets"), std::string::npos) << role["metadata"]["name"] << ": " << g;
      }
      EXPECT_TRUE(role.value("aggregationRule", Json()).is_null());
    }
  }
}

TEST(ChartRbacTest, ServiceAccountsDoNotMountTokensUnlessThePodAsks) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  ASSERT_EQ(OfKind(*manifests, "ServiceAccount").size(), 2u);
  for (const Json& sa : OfKind(*manifests, "ServiceAccount")) {
    EXPECT_EQ(sa.value("automountServiceAccountToken", true), false) << sa["metadata"]["name"];
  }
}

}  // namespace
}  // namespace modelgate::ship
