#include "webhook/catalog_informers.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "api/model_gate_policy.h"
#include "api/model_version.h"
#include "kube/fake_client.h"
#include "tests/policy/policy_fixtures.h"

namespace modelgate::webhook {
namespace {

// Returns true as soon as `predicate()` holds, false if it still does not after 10 s.
template <typename P>
bool Eventually(P predicate) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

// A passed ModelVersion in namespace ml with every field the API requires.
ModelVersion CompleteModel(const std::string& name) {
  ModelVersion mv = policy::testing::PassedModel("ml", name);
  mv.spec.serving.image = "example/serve:1";
  mv.spec.datasets.training = Dataset{"s3://d/train.csv", DatasetFormat::kCsv};
  mv.spec.datasets.reference = Dataset{"s3://d/ref.csv", DatasetFormat::kCsv};
  mv.spec.datasets.holdout = Dataset{"s3://d/holdout.csv", DatasetFormat::kCsv};
  return mv;
}

class CatalogInformersTest : public ::testing::Test {
 protected:
  bool SyncedSoon() {
    return informers_.WaitForSync(never_, kube::SystemClock().Now() + std::chrono::seconds(10));
  }

  kube::FakeClient client_;
  policy::InMemoryCatalog catalog_;
  CatalogInformers informers_{client_, kube::SystemClock(), catalog_};
  kube::StopSignal never_;
};

TEST_F(CatalogInformersTest, FillsCatalogFromTheClusterAndBecomesReady) {
  ModelVersion mv = CompleteModel("fraud-v2");
  ASSERT_TRUE(client_.Create(kube::ModelVersionsResource(), "ml", ToJson(mv)).ok());
  ASSERT_TRUE(client_
                  .Create(kube::ModelGatePoliciesResource(), "",
                          ToJson(policy::testing::Policy("production")))
                  .ok());
  ASSERT_TRUE(client_
                  .Create(kube::NamespacesResource(), "",
                          {{"apiVersion", "v1"},
                           {"kind", "Namespace"},
                           {"metadata", {{"name", "ml"}, {"labels", {{"env", "prod"}}}}}})
                  .ok());
  EXPECT_FALSE(informers_.HasSynced());
  informers_.Start();
  ASSERT_TRUE(SyncedSoon());
  EXPECT_TRUE(informers_.HasSynced());
  EXPECT_NE(catalog_.FindModelVersion("ml", "fraud-v2"), nullptr);
  ASSERT_EQ(catalog_.Policies()->size(), 1u);
  EXPECT_EQ((*catalog_.Policies())[0].metadata.name, "production");
  ASSERT_NE(catalog_.FindNamespaceLabels("ml"), nullptr);
  EXPECT_EQ(catalog_.FindNamespaceLabels("ml")->at("env"), "prod");
}

TEST_F(CatalogInformersTest, ListsModelVersionsPageByPageAndARelistDropsTheDeleted) {
  // The webhook lists ModelVersions a page at a time: 150 take several.
  for (int i = 0; i < 150; ++i) {
    ASSERT_TRUE(client_
                    .Create(kube::ModelVersionsResource(), "ml",
                            ToJson(CompleteModel("fraud-" + std::to_string(i))))
                    .ok());
  }
  informers_.Start();
  ASSERT_TRUE(SyncedSoon());
  EXPECT_EQ(catalog_.model_version_count(), 150u);
  ASSERT_NE(catalog_.FindModelVersion("ml", "fraud-149"), nullptr);
  ASSERT_TRUE(Eventually([&] { return client_.OpenWatches() == 3; }));
  // 410 Gone on every watch: the informers relist, and the relist is the only word on what
  // was deleted meanwhile.
  client_.CompactHistory();
  ASSERT_TRUE(client_.Delete({kube::ModelVersionsResource(), "ml", "fraud-7"}).ok());
  EXPECT_TRUE(Eventually([&] {
    return catalog_.model_version_count() == 149u &&
           catalog_.FindModelVersion("ml", "fraud-7") == nullptr;
  }));
  EXPECT_NE(catalog_.FindModelVersion("ml", "fraud-8"), nullptr);
}

// The page size is the list's limit: 150 ModelVersions at 40 to a page take four lists.
TEST(CatalogInformersPageSizeTest, ListsModelVersionsInPagesOfTheGivenSize) {
  kube::FakeClient client;
  for (int i = 0; i < 150; ++i) {
    ASSERT_TRUE(client
                    .Create(kube::ModelVersionsResource(), "ml",
                            ToJson(CompleteModel("fraud-" + std::to_string(i))))
                    .ok());
  }
  policy::InMemoryCatalog catalog;
  CatalogInformers informers(client, kube::SystemClock(), catalog, /*list_page_size=*/40);
  client.ClearActions();
  informers.Start();
  kube::StopSignal never;
  ASSERT_TRUE(informers.WaitForSync(never, kube::SystemClock().Now() + std::chrono::seconds(10)));
  EXPECT_EQ(catalog.model_version_count(), 150u);
  int lists = 0;
  for (const kube::FakeClient::Action& action : client.Actions()) {
    if (action.verb == "list" && action.resource == kube::ModelVersionsResource().ToString()) {
      ++lists;
    }
  }
  EXPECT_EQ(lists, 4);
}

TEST_F(CatalogInformersTest, FollowsDeletions) {
  ASSERT_TRUE(client_
                  .Create(kube::ModelGatePoliciesResource(), "",
                          ToJson(policy::testing::Policy("production")))
                  .ok());
  informers_.Start();
  ASSERT_TRUE(SyncedSoon());
  ASSERT_EQ(catalog_.Policies()->size(), 1u);
  ASSERT_TRUE(Eventually([&] { return client_.OpenWatches() == 3; }));
  ASSERT_TRUE(client_.Delete({kube::ModelGatePoliciesResource(), "", "production"}).ok());
  EXPECT_TRUE(Eventually([&] { return catalog_.Policies()->empty(); }));
}

TEST_F(CatalogInformersTest, CachesTheAdmissionRecordAndFollowsChanges) {
  ModelVersion mv = CompleteModel("fraud-v2");
  mv.status.conditions.push_back(Condition{"Ready", ConditionStatus::kTrue, 2, {}, "Ok", "ok"});
  kube::Json object = ToJson(mv);
  object["metadata"]["managedFields"] = kube::Json::array({{{"manager", "gitops"}}});
  ASSERT_TRUE(client_.Create(kube::ModelVersionsResource(), "ml", object).ok());
  informers_.Start();
  ASSERT_TRUE(SyncedSoon());
  auto cached = catalog_.FindModelVersion("ml", "fraud-v2");
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(cached->key(), "ml/fraud-v2");
  EXPECT_EQ(cached->artifact_uri(), mv.spec.artifact.uri);
  ASSERT_TRUE(cached->has_artifact_digest());
  EXPECT_EQ(cached->artifact_digest(), *mv.spec.artifact.digest);
  EXPECT_EQ(cached->validated_digest(), mv.status.validated_digest);
  EXPECT_EQ(*cached->FindMetric(*cached->FindGate(GateName::kQuality), "auc"), 0.91);
  // A later change arrives by watch and is reduced the same way.
  ASSERT_TRUE(Eventually([&] { return client_.OpenWatches() == 3; }));
  ASSERT_TRUE(client_
                  .MergePatch({kube::ModelVersionsResource(), "ml", "fraud-v2"},
                              {{"spec", {{"artifact", {{"uri", "s3://models/ml/fraud-v2b"}}}}}})
                  .ok());
  EXPECT_TRUE(Eventually([&] {
    auto now = catalog_.FindModelVersion("ml", "fraud-v2");
    return now != nullptr && now->artifact_uri() == "s3://models/ml/fraud-v2b";
  }));
  EXPECT_EQ(catalog_.FindModelVersionsByArtifactUri("s3://models/ml/fraud-v2b").size(), 1u);
}

TEST_F(CatalogInformersTest, LeavesUndecodableModelVersionOut) {
  ASSERT_TRUE(client_
                  .Create(kube::ModelVersionsResource(), "ml",
                          {{"apiVersion", "modelgate.io/v1alpha1"},
                           {"kind", "ModelVersion"},
                           {"metadata", {{"name", "broken"}, {"namespace", "ml"}}},
                           {"spec", {{"model", 5}}}})
                  .ok());
  informers_.Start();
  ASSERT_TRUE(SyncedSoon());
  EXPECT_EQ(catalog_.FindModelVersion("ml", "broken"), nullptr);
}

}  // namespace
}  // namespace modelgate::webhook
