#include "kube/store.h"

#include <gtest/gtest.h>

namespace modelgate::kube {
namespace {

Json Job(const std::string& ns, const std::string& name, const std::string& owner_uid,
         const std::string& gate) {
  return {
      {"metadata",
       {{"namespace", ns},
        {"name", name},
        {"labels", {{"modelgate.io/gate", gate}}},
        {"ownerReferences",
         Json::array({{{"uid", owner_uid}, {"controller", true}, {"kind", "ModelVersion"}}})}}}};
}

std::vector<std::string> Names(const std::vector<ObjectPtr>& objects) {
  std::vector<std::string> names;
  for (const auto& o : objects) names.push_back(NameOf(*o));
  std::sort(names.begin(), names.end());
  return names;
}

TEST(StoreTest, UpsertGetAndRemoveByKey) {
  Store store;
  EXPECT_EQ(store.Upsert(Job("ml", "a", "u1", "data")), nullptr);
  ASSERT_NE(store.Get("ml/a"), nullptr);
  EXPECT_NE(store.Upsert(Job("ml", "a", "u1", "quality")), nullptr);
  EXPECT_EQ(store.Size(), 1u);
  EXPECT_NE(store.Remove("ml/a"), nullptr);
  EXPECT_EQ(store.Get("ml/a"), nullptr);
  EXPECT_EQ(store.Remove("ml/a"), nullptr);
}

TEST(StoreTest, IndexesFollowUpdatesAndRemovals) {
  Store store;
  ASSERT_TRUE(store.AddIndex("gate", IndexByLabel("modelgate.io/gate")).ok());
  store.Upsert(Job("ml", "a", "u1", "data"));
  store.Upsert(Job("ml", "b", "u1", "data"));
  store.Upsert(Job("ml", "a", "u1", "quality"));
  EXPECT_EQ(Names(*store.ByIndex("gate", "data")), std::vector<std::string>{"b"});
  EXPECT_EQ(Names(*store.ByIndex("gate", "quality")), std::vector<std::string>{"a"});
  store.Remove("ml/b");
  EXPECT_TRUE(store.ByIndex("gate", "data")->empty());
}

TEST(StoreTest, OwnerAndNamespaceIndexes) {
  Store store;
  ASSERT_TRUE(store.AddIndex("owner", IndexByControllerUid()).ok());
  ASSERT_TRUE(store.AddIndex(kNamespaceIndex, IndexByNamespace()).ok());
  store.Upsert(Job("ml", "a", "u1", "data"));
  store.Upsert(Job("ops", "b", "u2", "data"));
  EXPECT_EQ(Names(*store.ByIndex("owner", "u2")), std::vector<std::string>{"b"});
  EXPECT_EQ(Names(*store.ByIndex(kNamespaceIndex, "ml")), std::vector<std::string>{"a"});
}

TEST(StoreTest, ReplaceReturnsRemovedObjectsAndReindexes) {
  Store store;
  ASSERT_TRUE(store.AddIndex("owner", IndexByOwnerUid()).ok());
  store.Upsert(Job("ml", "a", "u1", "data"));
  store.Upsert(Job("ml", "b", "u1", "data"));
  std::vector<ObjectPtr> removed = store.Replace({Job("ml", "b", "u9", "data")});
  EXPECT_EQ(Names(removed), std::vector<std::string>{"a"});
  EXPECT_TRUE(store.ByIndex("owner", "u1")->empty());
  EXPECT_EQ(Names(*store.ByIndex("owner", "u9")), std::vector<std::string>{"b"});
}

TEST(StoreTest, UnknownIndexIsNotFound) {
  Store store;
  EXPECT_EQ(store.ByIndex("nope", "x").status().code(), Status::Code::kNotFound);
}

TEST(StoreTest, IndexAfterObjectsIsRefused) {
  Store store;
  store.Upsert(Job("ml", "a", "u1", "data"));
  EXPECT_FALSE(store.AddIndex("late", IndexByNamespace()).ok());
}

TEST(StoreTest, ReadersKeepTheirSnapshotAfterAnUpdate) {
  Store store;
  store.Upsert(Job("ml", "a", "u1", "data"));
  ObjectPtr before = store.Get("ml/a");
  store.Upsert(Job("ml", "a", "u1", "quality"));
  EXPECT_EQ((*before)["metadata"]["labels"]["modelgate.io/gate"], "data");
}

}  // namespace
}  // namespace modelgate::kube
