#include "policy/in_memory_catalog.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/policy/policy_fixtures.h"

namespace modelgate::policy {
namespace {

using testing::PassedModel;
using testing::Policy;

TEST(InMemoryCatalogTest, FindsModelVersionByArtifactUriIgnoringTrailingSlash) {
  InMemoryCatalog catalog;
  catalog.UpsertModelVersion(PassedModel("ml", "a"));
  EXPECT_EQ(catalog.FindModelVersionsByArtifactUri("s3://models/ml/a/").size(), 1u);
  EXPECT_TRUE(catalog.FindModelVersionsByArtifactUri("s3://models/ml/b").empty());
}

TEST(InMemoryCatalogTest, ReplacingModelVersionMovesItsUriIndexEntry) {
  InMemoryCatalog catalog;
  ModelVersion mv = PassedModel("ml", "a");
  catalog.UpsertModelVersion(mv);
  mv.spec.artifact.uri = "gs://elsewhere";
  catalog.UpsertModelVersion(mv);
  EXPECT_TRUE(catalog.FindModelVersionsByArtifactUri("s3://models/ml/a").empty());
  EXPECT_EQ(catalog.FindModelVersionsByArtifactUri("gs://elsewhere").size(), 1u);
  EXPECT_EQ(catalog.model_version_count(), 1u);
}

TEST(InMemoryCatalogTest, RemovedModelVersionIsGoneFromBothIndexes) {
  InMemoryCatalog catalog;
  catalog.UpsertModelVersion(PassedModel("ml", "a"));
  catalog.RemoveModelVersion("ml", "a");
  EXPECT_EQ(catalog.FindModelVersion("ml", "a"), nullptr);
  EXPECT_TRUE(catalog.FindModelVersionsByArtifactUri("s3://models/ml/a").empty());
}

TEST(InMemoryCatalogTest, PoliciesAreSortedAndReadersKeepTheirSnapshot) {
  InMemoryCatalog catalog;
  catalog.UpsertPolicy(Policy("b"));
  catalog.UpsertPolicy(Policy("a"));
  auto before = catalog.Policies();
  catalog.RemovePolicy("a");
  ASSERT_EQ(before->size(), 2u);
  EXPECT_EQ((*before)[0].metadata.name, "a");
  EXPECT_EQ(catalog.Policies()->size(), 1u);
}

TEST(InMemoryCatalogTest, ListsTheKeysItHolds) {
  InMemoryCatalog catalog;
  catalog.UpsertModelVersion(PassedModel("ml", "a"));
  catalog.UpsertModelVersion(PassedModel("ops", "b"));
  catalog.UpsertPolicy(Policy("production"));
  catalog.UpsertNamespace("ml", {});
  auto keys = catalog.ModelVersionKeys();
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::pair<std::string, std::string>>{{"ml", "a"}, {"ops", "b"}}));
  EXPECT_EQ(catalog.PolicyKeys(),
            (std::vector<std::pair<std::string, std::string>>{{"", "production"}}));
  EXPECT_EQ(catalog.NamespaceKeys(), (std::vector<std::pair<std::string, std::string>>{{"", "ml"}}));
  catalog.RemoveModelVersion("ml", "a");
  EXPECT_EQ(catalog.ModelVersionKeys().size(), 1u);
}

TEST(InMemoryCatalogTest, RecordHandedOutSurvivesItsReplacement) {
  InMemoryCatalog catalog;
  ModelVersion mv = PassedModel("ml", "a");
  catalog.UpsertModelVersion(mv);
  auto before = catalog.FindModelVersion("ml", "a");
  mv.metadata.generation = 7;
  catalog.UpsertModelVersion(mv);
  EXPECT_EQ(before->name(), "a");
  EXPECT_NE(before->generation, 7);
  EXPECT_EQ(catalog.FindModelVersion("ml", "a")->generation, 7);
}

TEST(InMemoryCatalogTest, KeepsRecordsInItsOwnResource) {
  InMemoryCatalog catalog;
  catalog.UpsertModelRecord(ModelRecord::From(PassedModel("ml", "copied")));
  catalog.UpsertModelRecord(ModelRecord::From(PassedModel("ml", "moved"), catalog.record_resource()));
  EXPECT_EQ(catalog.FindModelVersion("ml", "copied")->resource(), catalog.record_resource());
  EXPECT_EQ(catalog.FindModelVersion("ml", "moved")->resource(), catalog.record_resource());
  EXPECT_EQ(catalog.FindModelVersion("ml", "moved")->key(), "ml/moved");
}

}  // namespace
}  // namespace modelgate::policy
