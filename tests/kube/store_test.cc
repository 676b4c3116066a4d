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

// Every behaviour holds whichever way the store keeps its objects.
class StoreTest : public ::testing::TestWithParam<StoreEncoding> {};

INSTANTIATE_TEST_SUITE_P(Encodings, StoreTest,
                         ::testing::Values(StoreEncoding::kParsed, StoreEncoding::kCbor,
                                           StoreEncoding::kDeflated),
                         [](const ::testing::TestParamInfo<StoreEncoding>& param) {
                           switch (param.param) {
                             case StoreEncoding::kParsed:
                               return "Parsed";
                             case StoreEncoding::kCbor:
                               return "Cbor";
                             case StoreEncoding::kDeflated:
                               return "Deflated";
                           }
                           return "Unknown";
                         });

TEST_P(StoreTest, UpsertGetAndRemoveByKey) {
  Store store(GetParam());
  EXPECT_EQ(store.Upsert(Job("ml", "a", "u1", "data")), nullptr);
  ASSERT_NE(store.Get("ml/a"), nullptr);
  EXPECT_NE(store.Upsert(Job("ml", "a", "u1", "quality")), nullptr);
  EXPECT_EQ(store.Size(), 1u);
  EXPECT_NE(store.Remove("ml/a"), nullptr);
  EXPECT_EQ(store.Get("ml/a"), nullptr);
  EXPECT_EQ(store.Remove("ml/a"), nullptr);
}

TEST_P(StoreTest, IndexesFollowUpdatesAndRemovals) {
  Store store(GetParam());
  ASSERT_TRUE(store.AddIndex("gate", IndexByLabel("modelgate.io/gate")).ok());
  store.Upsert(Job("ml", "a", "u1", "data"));
  store.Upsert(Job("ml", "b", "u1", "data"));
  store.Upsert(Job("ml", "a", "u1", "quality"));
  EXPECT_EQ(Names(*store.ByIndex("gate", "data")), std::vector<std::string>{"b"});
  EXPECT_EQ(Names(*store.ByIndex("gate", "quality")), std::vector<std::string>{"a"});
  store.Remove("ml/b");
  EXPECT_TRUE(store.ByIndex("gate", "data")->empty());
}

TEST_P(StoreTest, OwnerAndNamespaceIndexes) {
  Store store(GetParam());
  ASSERT_TRUE(store.AddIndex("owner", IndexByControllerUid()).ok());
  ASSERT_TRUE(store.AddIndex(kNamespaceIndex, IndexByNamespace()).ok());
  store.Upsert(Job("ml", "a", "u1", "data"));
  store.Upsert(Job("ops", "b", "u2", "data"));
  EXPECT_EQ(Names(*store.ByIndex("owner", "u2")), std::vector<std::string>{"b"});
  EXPECT_EQ(Names(*store.ByIndex(kNamespaceIndex, "ml")), std::vector<std::string>{"a"});
}

TEST_P(StoreTest, ReplaceReturnsRemovedObjectsAndReindexes) {
  Store store(GetParam());
  ASSERT_TRUE(store.AddIndex("owner", IndexByOwnerUid()).ok());
  store.Upsert(Job("ml", "a", "u1", "data"));
  store.Upsert(Job("ml", "b", "u1", "data"));
  std::vector<ObjectPtr> removed = store.Replace({Job("ml", "b", "u9", "data")});
  EXPECT_EQ(Names(removed), std::vector<std::string>{"a"});
  EXPECT_TRUE(store.ByIndex("owner", "u1")->empty());
  EXPECT_EQ(Names(*store.ByIndex("owner", "u9")), std::vector<std::string>{"b"});
}

TEST_P(StoreTest, StagedPagesAreUnseenUntilCommitted) {
  Store store(GetParam());
  ASSERT_TRUE(store.AddIndex("owner", IndexByOwnerUid()).ok());
  store.Upsert(Job("ml", "a", "u1", "data"));
  store.Upsert(Job("ml", "b", "u1", "data"));
  store.StagePage({Job("ml", "b", "u9", "data")});
  store.StagePage({Job("ml", "c", "u9", "quality")});
  // Readers still see the content from before the list.
  EXPECT_EQ(Names(store.List()), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Names(*store.ByIndex("owner", "u1")), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(store.ByIndex("owner", "u9")->empty());
  std::vector<ObjectPtr> removed = store.CommitStaged();
  EXPECT_EQ(Names(removed), std::vector<std::string>{"a"});
  EXPECT_EQ(Names(store.List()), (std::vector<std::string>{"b", "c"}));
  EXPECT_TRUE(store.ByIndex("owner", "u1")->empty());
  EXPECT_EQ(Names(*store.ByIndex("owner", "u9")), (std::vector<std::string>{"b", "c"}));
}

TEST_P(StoreTest, DroppedPagesLeaveTheContentAsItWas) {
  Store store(GetParam());
  ASSERT_TRUE(store.AddIndex("owner", IndexByOwnerUid()).ok());
  store.Upsert(Job("ml", "a", "u1", "data"));
  store.StagePage({Job("ml", "z", "u9", "data")});
  store.DropStaged();
  // The next list starts from nothing staged.
  store.StagePage({Job("ml", "a", "u2", "data")});
  EXPECT_TRUE(store.CommitStaged().empty());
  EXPECT_EQ(Names(store.List()), std::vector<std::string>{"a"});
  EXPECT_TRUE(store.ByIndex("owner", "u9")->empty());
  EXPECT_EQ(Names(*store.ByIndex("owner", "u2")), std::vector<std::string>{"a"});
}

TEST_P(StoreTest, AnEmptyListKeepsTheIndexesUsable) {
  Store store(GetParam());
  ASSERT_TRUE(store.AddIndex("owner", IndexByOwnerUid()).ok());
  store.Upsert(Job("ml", "a", "u1", "data"));
  EXPECT_EQ(Names(store.CommitStaged()), std::vector<std::string>{"a"});
  ASSERT_TRUE(store.ByIndex("owner", "u1").ok());
  EXPECT_TRUE(store.ByIndex("owner", "u1")->empty());
}

TEST_P(StoreTest, UnknownIndexIsNotFound) {
  Store store(GetParam());
  EXPECT_EQ(store.ByIndex("nope", "x").status().code(), Status::Code::kNotFound);
}

TEST_P(StoreTest, IndexAfterObjectsIsRefused) {
  Store store(GetParam());
  store.Upsert(Job("ml", "a", "u1", "data"));
  EXPECT_FALSE(store.AddIndex("late", IndexByNamespace()).ok());
}

TEST_P(StoreTest, ReadersKeepTheirSnapshotAfterAnUpdate) {
  Store store(GetParam());
  store.Upsert(Job("ml", "a", "u1", "data"));
  ObjectPtr before = store.Get("ml/a");
  store.Upsert(Job("ml", "a", "u1", "quality"));
  EXPECT_EQ((*before)["metadata"]["labels"]["modelgate.io/gate"], "data");
}

TEST_P(StoreTest, UpsertReturnsThePreviousObject) {
  Store store(GetParam());
  store.Upsert(Job("ml", "a", "u1", "data"));
  ObjectPtr previous = store.Upsert(Job("ml", "a", "u1", "quality"));
  ASSERT_NE(previous, nullptr);
  EXPECT_EQ((*previous)["metadata"]["labels"]["modelgate.io/gate"], "data");
}

TEST_P(StoreTest, UnchangedIndexValueSurvivesAnUpdate) {
  Store store(GetParam());
  ASSERT_TRUE(store.AddIndex("owner", IndexByControllerUid()).ok());
  store.Upsert(Job("ml", "a", "u1", "data"));
  store.Upsert(Job("ml", "a", "u1", "quality"));
  EXPECT_EQ(Names(*store.ByIndex("owner", "u1")), std::vector<std::string>{"a"});
}

TEST_P(StoreTest, ObjectsComeBackEqualWhateverTheirValues) {
  Store store(GetParam());
  Json object = Job("ml", "a", "u1", "data");
  object["status"] = {{"ratio", 0.1},           {"big", 9007199254740993ull},
                      {"negative", -42},        {"float", 1.5e300},
                      {"none", nullptr},        {"flag", false},
                      {"text", "résumé ✓\n\""}, {"list", Json::array({1, "two", Json::object()})}};
  store.Upsert(object);
  EXPECT_EQ(*store.Get("ml/a"), object);
  EXPECT_EQ(store.Get("ml/a")->dump(), object.dump());
}

TEST(StoreCborTest, ReadersGetTheirOwnCopies) {
  Store store(StoreEncoding::kCbor);
  store.Upsert(Job("ml", "a", "u1", "data"));
  ObjectPtr first = store.Get("ml/a");
  ObjectPtr second = store.Get("ml/a");
  EXPECT_NE(first.get(), second.get());
  EXPECT_EQ(*first, *second);
}

TEST(StoreDeflatedTest, ObjectsKeepTheirContentAcrossDictionaryChanges) {
  // Enough objects, unlike each other, that the deflater takes new dictionaries on the way;
  // the objects compressed against older ones must still read back.
  Store store(StoreEncoding::kDeflated);
  std::vector<Json> objects;
  for (int i = 0; i < 4 * ObjectDeflater::kMinObjectsPerDictionary; ++i) {
    Json object = Job("ml", "job-" + std::to_string(i), "u" + std::to_string(i), "data");
    if (i >= ObjectDeflater::kMinObjectsPerDictionary) {
      object["status"] = {{"message", std::string(200, static_cast<char>('a' + i % 26))},
                          {"attempt", i}};
    }
    objects.push_back(object);
    store.Upsert(std::move(object));
  }
  for (const Json& object : objects) {
    ObjectPtr stored = store.Get(KeyOf(object));
    ASSERT_NE(stored, nullptr);
    EXPECT_EQ(*stored, object);
  }
}

}  // namespace
}  // namespace modelgate::kube
