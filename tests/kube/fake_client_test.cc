#include "kube/fake_client.h"

#include <gtest/gtest.h>

#include "kube/api_error.h"

namespace modelgate::kube {
namespace {

const auto kDeadline = [] { return std::chrono::steady_clock::now() + std::chrono::seconds(5); };

Json ModelVersion(const std::string& name, const std::string& version = "1") {
  return {{"apiVersion", "modelgate.io/v1alpha1"},
          {"kind", "ModelVersion"},
          {"metadata", {{"name", name}, {"labels", {{"model", "fraud"}}}}},
          {"spec", {{"model", "fraud"}, {"version", version}}}};
}

ResourceRef Ref(const std::string& name) { return {ModelVersionsResource(), "ml", name}; }

class FakeClientTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  FakeClient client_{clock_};
};

TEST_F(FakeClientTest, CreateAssignsServerFields) {
  Result<Json> created = client_.Create(ModelVersionsResource(), "ml", ModelVersion("a"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(NamespaceOf(*created), "ml");
  EXPECT_FALSE(UidOf(*created).empty());
  EXPECT_FALSE(ResourceVersionOf(*created).empty());
  EXPECT_EQ((*created)["metadata"]["generation"], 1);
  EXPECT_EQ((*created)["metadata"]["creationTimestamp"], "2026-01-01T00:00:00Z");
}

TEST_F(FakeClientTest, CreateTwiceIsAlreadyExists) {
  ASSERT_TRUE(client_.Create(ModelVersionsResource(), "ml", ModelVersion("a")).ok());
  EXPECT_EQ(client_.Create(ModelVersionsResource(), "ml", ModelVersion("a")).status().code(),
            Status::Code::kAlreadyExists);
}

TEST_F(FakeClientTest, GetMissingIsNotFound) {
  EXPECT_EQ(client_.Get(Ref("nope")).status().code(), Status::Code::kNotFound);
}

TEST_F(FakeClientTest, UpdateWithStaleResourceVersionConflicts) {
  Json created = *client_.Create(ModelVersionsResource(), "ml", ModelVersion("a"));
  Json first = created;
  first["spec"]["version"] = "2";
  ASSERT_TRUE(client_.Update(Ref("a"), first).ok());
  Json stale = created;
  stale["spec"]["version"] = "3";
  EXPECT_EQ(client_.Update(Ref("a"), stale).status().code(), Status::Code::kConflict);
}

TEST_F(FakeClientTest, SpecChangeBumpsGenerationAndStatusChangeDoesNot) {
  Json created = *client_.Create(ModelVersionsResource(), "ml", ModelVersion("a"));
  Json with_status = created;
  with_status["status"] = {{"phase", "Validating"}};
  Json after_status = *client_.UpdateStatus(Ref("a"), with_status);
  EXPECT_EQ(after_status["metadata"]["generation"], 1);
  EXPECT_EQ(after_status["status"]["phase"], "Validating");
  Json changed = after_status;
  changed["spec"]["version"] = "2";
  changed["status"]["phase"] = "Passed";  // ignored: status is a subresource
  Json after_update = *client_.Update(Ref("a"), changed);
  EXPECT_EQ(after_update["metadata"]["generation"], 2);
  EXPECT_EQ(after_update["status"]["phase"], "Validating");
}

TEST_F(FakeClientTest, MergePatchAndPatchStatus) {
  ASSERT_TRUE(client_.Create(ModelVersionsResource(), "ml", ModelVersion("a")).ok());
  Json patched = *client_.MergePatch(Ref("a"), {{"metadata", {{"annotations", {{"k", "v"}}}}}});
  EXPECT_EQ(patched["metadata"]["annotations"]["k"], "v");
  EXPECT_EQ(patched["metadata"]["generation"], 1);
  Json status = *client_.PatchStatus(Ref("a"), {{"status", {{"phase", "Failed"}}}});
  EXPECT_EQ(status["status"]["phase"], "Failed");
  EXPECT_EQ(client_.MergePatch(Ref("zz"), Json::object()).status().code(), Status::Code::kNotFound);
}

TEST_F(FakeClientTest, ApplyCreatesThenMerges) {
  ApplyOptions options{"modelgate", true, false};
  ASSERT_TRUE(client_.Apply(Ref("a"), ModelVersion("a"), options).ok());
  Json again = ModelVersion("a", "9");
  Json applied = *client_.Apply(Ref("a"), again, options);
  EXPECT_EQ(applied["spec"]["version"], "9");
  EXPECT_FALSE(client_.Apply(Ref("a"), again, {}).ok());  // fieldManager is required
}

TEST_F(FakeClientTest, DeleteHonoursFinalizersAndPreconditions) {
  Json mv = ModelVersion("a");
  mv["metadata"]["finalizers"] = {"modelgate.io/cleanup"};
  Json created = *client_.Create(ModelVersionsResource(), "ml", mv);
  DeleteOptions wrong_uid;
  wrong_uid.precondition_uid = "other";
  EXPECT_EQ(client_.Delete(Ref("a"), wrong_uid).code(), Status::Code::kConflict);
  ASSERT_TRUE(client_.Delete(Ref("a")).ok());
  Json terminating = *client_.Get(Ref("a"));
  EXPECT_TRUE(terminating["metadata"].contains("deletionTimestamp"));
  terminating["metadata"]["finalizers"] = Json::array();
  ASSERT_TRUE(client_.Update(Ref("a"), terminating).ok());
  EXPECT_EQ(client_.Get(Ref("a")).status().code(), Status::Code::kNotFound);
}

TEST_F(FakeClientTest, ListFiltersBySelectorAndPages) {
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_TRUE(client_.Create(ModelVersionsResource(), "ml", ModelVersion(name)).ok());
  }
  Json other = ModelVersion("d");
  other["metadata"]["labels"]["model"] = "churn";
  ASSERT_TRUE(client_.Create(ModelVersionsResource(), "ml", other).ok());
  ListOptions options;
  options.label_selector = "model=fraud";
  options.limit = 2;
  Json page1 = *client_.List(ModelVersionsResource(), "ml", options);
  ASSERT_EQ(page1["items"].size(), 2u);
  ASSERT_TRUE(page1["metadata"].contains("continue"));
  options.continue_token = page1["metadata"]["continue"];
  Json page2 = *client_.List(ModelVersionsResource(), "ml", options);
  ASSERT_EQ(page2["items"].size(), 1u);
  EXPECT_EQ(NameOf(page2["items"][0]), "c");
  EXPECT_FALSE(page2["metadata"].contains("continue"));
}

TEST_F(FakeClientTest, WatchReplaysHistoryAfterResourceVersion) {
  Json a = *client_.Create(ModelVersionsResource(), "ml", ModelVersion("a"));
  ASSERT_TRUE(client_.Create(ModelVersionsResource(), "ml", ModelVersion("b")).ok());
  WatchOptions options;
  options.resource_version = ResourceVersionOf(a);
  auto stream = std::move(client_.Watch(ModelVersionsResource(), "ml", options)).value();
  auto event = stream->Next(kDeadline());
  ASSERT_TRUE(event.ok() && event->has_value());
  EXPECT_EQ((*event)->type, WatchEventType::kAdded);
  EXPECT_EQ(NameOf((*event)->object), "b");
  ASSERT_TRUE(client_.Delete(Ref("a")).ok());
  event = stream->Next(kDeadline());
  ASSERT_TRUE(event.ok() && event->has_value());
  EXPECT_EQ((*event)->type, WatchEventType::kDeleted);
}

TEST_F(FakeClientTest, WatchFromCompactedVersionGetsGone) {
  Json a = *client_.Create(ModelVersionsResource(), "ml", ModelVersion("a"));
  ASSERT_TRUE(client_.Create(ModelVersionsResource(), "ml", ModelVersion("b")).ok());
  client_.CompactHistory();
  WatchOptions options;
  options.resource_version = ResourceVersionOf(a);
  auto stream = std::move(client_.Watch(ModelVersionsResource(), "ml", options)).value();
  auto event = stream->Next(kDeadline());
  ASSERT_TRUE(event.ok() && event->has_value());
  ASSERT_EQ((*event)->type, WatchEventType::kError);
  EXPECT_TRUE(IsGone(StatusFromApiStatus((*event)->object, "watch")));
  EXPECT_TRUE(IsWatchEnded(stream->Next(kDeadline()).status()));
}

TEST_F(FakeClientTest, CancelEndsABlockedNext) {
  auto stream = std::move(client_.Watch(ModelVersionsResource(), "ml", {})).value();
  std::thread canceller([&] { stream->Cancel(); });
  auto result = stream->Next(std::chrono::steady_clock::now() + std::chrono::seconds(30));
  canceller.join();
  EXPECT_TRUE(IsWatchEnded(result.status()));
}

TEST_F(FakeClientTest, BookmarksGoOnlyToWatchesThatAskForThem) {
  WatchOptions with;
  with.resource_version = "1";
  WatchOptions without = with;
  without.allow_bookmarks = false;
  auto a = std::move(client_.Watch(ModelVersionsResource(), "", with)).value();
  auto b = std::move(client_.Watch(ModelVersionsResource(), "", without)).value();
  client_.SendBookmark(ModelVersionsResource());
  auto event = a->Next(kDeadline());
  ASSERT_TRUE(event.ok() && event->has_value());
  EXPECT_EQ((*event)->type, WatchEventType::kBookmark);
  auto none = b->Next(std::chrono::steady_clock::now());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(FakeClientTest, InjectedErrorsFailTheNamedVerb) {
  client_.InjectError("create", Status::Unavailable("etcd down"), 1);
  EXPECT_EQ(client_.Create(ModelVersionsResource(), "ml", ModelVersion("a")).status().code(),
            Status::Code::kUnavailable);
  EXPECT_TRUE(client_.Create(ModelVersionsResource(), "ml", ModelVersion("a")).ok());
  EXPECT_EQ(client_.Actions().size(), 2u);
}

}  // namespace
}  // namespace modelgate::kube
