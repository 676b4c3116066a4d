#include "kube/list_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace modelgate::kube {
namespace {

using Json = nlohmann::json;

Json Item(const std::string& name) {
  return {{"metadata",
           {{"name", name},
            {"managedFields",
             Json::array({{{"manager", "kubectl"}, {"fieldsV1", {{"f:spec", Json::object()}}}}})},
            {"annotations",
             {{"kubectl.kubernetes.io/last-applied-configuration", "{\"big\":true}"},
              {"team", "fraud"}}}}},
          {"spec", {{"managedFields", "a spec field of the same name is kept"}}}};
}

Json List(std::vector<Json> items) {
  return {{"kind", "ModelVersionList"},
          {"metadata", {{"resourceVersion", "42"}, {"continue", "token"}}},
          {"items", std::move(items)}};
}

TEST(ParseListJsonTest, LeavesOutTheFieldsTheFilterRefusesInEveryItem) {
  const std::string text = List({Item("a"), Item("b")}).dump();
  Json parsed = ParseListJson(text, KeepAllButApplyBookkeeping);
  ASSERT_FALSE(parsed.is_discarded());
  ASSERT_EQ(parsed["items"].size(), 2u);
  for (const Json& item : parsed["items"]) {
    EXPECT_FALSE(item["metadata"].contains("managedFields")) << item.dump();
    EXPECT_EQ(item["metadata"]["annotations"], Json({{"team", "fraud"}}));
    EXPECT_EQ(item["spec"]["managedFields"], "a spec field of the same name is kept");
  }
  EXPECT_EQ(parsed["items"][1]["metadata"]["name"], "b");
  EXPECT_EQ(parsed["metadata"]["continue"], "token");
  EXPECT_EQ(parsed["kind"], "ModelVersionList");
}

TEST(ParseListJsonTest, GivesTheFilterPathsFromTheItemsRootWithoutArrayElements) {
  Json item = {{"metadata", {{"name", "a"}}},
               {"status", {{"conditions", Json::array({{{"type", "Ready"}}})}}}};
  std::vector<std::vector<std::string>> seen;
  Json parsed = ParseListJson(List({item}).dump(), [&](std::span<const std::string> path) {
    seen.emplace_back(path.begin(), path.end());
    return true;
  });
  ASSERT_FALSE(parsed.is_discarded());
  EXPECT_EQ(parsed["items"][0], item);
  const std::vector<std::vector<std::string>> want = {{"metadata"},
                                                      {"metadata", "name"},
                                                      {"status"},
                                                      {"status", "conditions"},
                                                      {"status", "conditions", "type"}};
  EXPECT_EQ(seen, want);
}

TEST(ParseListJsonTest, KeepsEverythingOutsideTheItems) {
  // The list's own metadata and a stray top-level managedFields are not an item's fields.
  Json list = List({});
  list["managedFields"] = Json::array({1, 2});
  list["metadata"]["managedFields"] = "kept";
  Json parsed = ParseListJson(list.dump(), [](std::span<const std::string>) { return false; });
  EXPECT_EQ(parsed, list);
}

TEST(ParseListJsonTest, ItemsThatAreNotAnArrayOfObjectsAreKeptAsTheyAre) {
  for (const Json& items : {Json({{"metadata", {{"managedFields", 1}}}}),
                            Json::array({Json::array({{{"metadata", {{"managedFields", 1}}}}})})}) {
    Json list = {{"items", items}};
    EXPECT_EQ(ParseListJson(list.dump(), KeepAllButApplyBookkeeping), list) << items.dump();
  }
}

TEST(ParseListJsonTest, WithoutAFilterKeepsEverything) {
  Json list = List({Item("a")});
  EXPECT_EQ(ParseListJson(list.dump(), nullptr), list);
}

TEST(ParseListJsonTest, MalformedJsonIsDiscarded) {
  EXPECT_TRUE(ParseListJson("{\"items\": [", KeepAllButApplyBookkeeping).is_discarded());
  EXPECT_TRUE(ParseListJson("", nullptr).is_discarded());
}

TEST(KeepAllButApplyBookkeepingTest, NamesExactlyTheBookkeeping) {
  using Path = std::vector<std::string>;
  EXPECT_FALSE(KeepAllButApplyBookkeeping(Path{"metadata", "managedFields"}));
  EXPECT_FALSE(KeepAllButApplyBookkeeping(Path{"metadata", "managedFields", "manager"}));
  EXPECT_FALSE(KeepAllButApplyBookkeeping(
      Path{"metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"}));
  EXPECT_TRUE(KeepAllButApplyBookkeeping(Path{"metadata", "annotations", "team"}));
  EXPECT_TRUE(KeepAllButApplyBookkeeping(Path{"metadata", "annotations"}));
  EXPECT_TRUE(KeepAllButApplyBookkeeping(Path{"metadata"}));
  EXPECT_TRUE(KeepAllButApplyBookkeeping(Path{"spec", "managedFields"}));
}

}  // namespace
}  // namespace modelgate::kube
