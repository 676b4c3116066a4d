#include "kube/resource.h"

#include <gtest/gtest.h>

namespace modelgate::kube {
namespace {

TEST(ResourceTest, CoreGroupPathsUseApiPrefix) {
  EXPECT_EQ(ResourcePath(PodsResource(), "ml", "p1"), "/api/v1/namespaces/ml/pods/p1");
  EXPECT_EQ(ResourcePath(NamespacesResource(), "", "ml"), "/api/v1/namespaces/ml");
}

TEST(ResourceTest, NamedGroupPathsUseApisPrefixAndSubresource) {
  EXPECT_EQ(ResourcePath(ModelVersionsResource(), "ml", "fraud-v3", "status"),
            "/apis/modelgate.io/v1alpha1/namespaces/ml/modelversions/fraud-v3/status");
}

TEST(ResourceTest, EmptyNamespaceAddressesAllNamespaces) {
  EXPECT_EQ(ResourcePath(JobsResource(), ""), "/apis/batch/v1/jobs");
}

TEST(ResourceTest, ClusterScopedResourcesIgnoreNamespace) {
  EXPECT_EQ(ResourcePath(ModelGatePoliciesResource(), "ml", "p"),
            "/apis/modelgate.io/v1alpha1/modelgatepolicies/p");
}

TEST(ResourceTest, SegmentsArePercentEncoded) {
  EXPECT_EQ(ResourcePath(PodsResource(), "ml", "a/b?c"), "/api/v1/namespaces/ml/pods/a%2Fb%3Fc");
}

TEST(ResourceTest, ObjectKeysRoundTrip) {
  std::string ns, name;
  SplitObjectKey(ObjectKey("ml", "x"), &ns, &name);
  EXPECT_EQ(ns, "ml");
  EXPECT_EQ(name, "x");
  SplitObjectKey(ObjectKey("", "policy"), &ns, &name);
  EXPECT_EQ(ns, "");
  EXPECT_EQ(name, "policy");
}

TEST(ResourceTest, ApiVersionOfCoreAndNamedGroups) {
  EXPECT_EQ(PodsResource().ApiVersion(), "v1");
  EXPECT_EQ(LeasesResource().ApiVersion(), "coordination.k8s.io/v1");
}

}  // namespace
}  // namespace modelgate::kube
