#include "kube/informer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "kube/fake_client.h"
#include "tests/kube/recording_client.h"
#include "tests/kube/eventually.h"

namespace modelgate::kube {
namespace {

using testing::Eventually;

Json Job(const std::string& name, const std::string& owner) {
  return {{"apiVersion", "batch/v1"},
          {"kind", "Job"},
          {"metadata",
           {{"name", name},
            {"ownerReferences", Json::array({{{"uid", owner}, {"controller", true}}})}}}};
}

class InformerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    informer_.AddEventHandlers({[this](const Json& o) { Log("add:" + NameOf(o)); },
                                [this](const Json&, const Json& o) { Log("update:" + NameOf(o)); },
                                [this](const Json& o) { Log("delete:" + NameOf(o)); }});
  }
  void Log(std::string entry) {
    std::lock_guard<std::mutex> guard(mu_);
    log_.push_back(std::move(entry));
  }
  bool Saw(const std::string& entry) {
    std::lock_guard<std::mutex> guard(mu_);
    return std::find(log_.begin(), log_.end(), entry) != log_.end();
  }
  bool SyncedSoon() {
    return informer_.WaitForSync(never_, SystemClock().Now() + std::chrono::seconds(10));
  }

  FakeClient client_;
  Informer informer_{client_, JobsResource(), "ml", SystemClock()};
  StopSignal never_;
  std::mutex mu_;
  std::vector<std::string> log_;
};

TEST_F(InformerTest, InitialListFillsTheCacheAndSyncs) {
  ASSERT_TRUE(client_.Create(JobsResource(), "ml", Job("a", "u1")).ok());
  EXPECT_FALSE(informer_.HasSynced());
  informer_.Start();
  ASSERT_TRUE(SyncedSoon());
  EXPECT_NE(informer_.store().Get("ml/a"), nullptr);
  EXPECT_TRUE(Saw("add:a"));
}

TEST_F(InformerTest, ListedObjectsGetApiVersionAndKind) {
  Json job = Job("a", "u1");
  ASSERT_TRUE(client_.Create(JobsResource(), "ml", job).ok());
  informer_.Start();
  ASSERT_TRUE(SyncedSoon());
  EXPECT_EQ((*informer_.store().Get("ml/a"))["apiVersion"], "batch/v1");
}

TEST_F(InformerTest, WatchedChangesRunHandlersAfterTheCacheIsUpdated) {
  informer_.Start();
  ASSERT_TRUE(SyncedSoon());
  ASSERT_TRUE(Eventually([&] { return client_.OpenWatches() == 1; }));
  ASSERT_TRUE(client_.Create(JobsResource(), "ml", Job("a", "u1")).ok());
  ASSERT_TRUE(Eventually([&] { return Saw("add:a"); }));
  ASSERT_TRUE(
      client_.MergePatch({JobsResource(), "ml", "a"}, {{"spec", {{"parallelism", 1}}}}).ok());
  ASSERT_TRUE(Eventually([&] { return Saw("update:a"); }));
  ASSERT_TRUE(client_.Delete({JobsResource(), "ml", "a"}).ok());
  ASSERT_TRUE(Eventually([&] { return Saw("delete:a"); }));
  EXPECT_EQ(informer_.store().Get("ml/a"), nullptr);
}

TEST_F(InformerTest, IndexFindsObjectsByOwner) {
  ASSERT_TRUE(informer_.AddIndex("owner", IndexByControllerUid()).ok());
  ASSERT_TRUE(client_.Create(JobsResource(), "ml", Job("a", "u1")).ok());
  ASSERT_TRUE(client_.Create(JobsResource(), "ml", Job("b", "u2")).ok());
  informer_.Start();
  ASSERT_TRUE(SyncedSoon());
  auto owned = informer_.store().ByIndex("owner", "u2");
  ASSERT_TRUE(owned.ok());
  ASSERT_EQ(owned->size(), 1u);
  EXPECT_EQ(NameOf(*(*owned)[0]), "b");
}

TEST_F(InformerTest, RelistAfterGoneReportsDeletionsMissedMeanwhile) {
  ASSERT_TRUE(client_.Create(JobsResource(), "ml", Job("a", "u1")).ok());
  informer_.Start();
  ASSERT_TRUE(SyncedSoon());
  ASSERT_TRUE(Eventually([&] { return client_.OpenWatches() == 1; }));
  // Compact first so the watch dies before it can see the deletion.
  client_.CompactHistory();
  ASSERT_TRUE(client_.Delete({JobsResource(), "ml", "a"}).ok());
  ASSERT_TRUE(Eventually([&] { return Saw("delete:a"); }));
  EXPECT_EQ(informer_.store().Size(), 0u);
}

TEST_F(InformerTest, RelistReportsChangedAndNewObjectsOnly) {
  ASSERT_TRUE(client_.Create(JobsResource(), "ml", Job("a", "u1")).ok());
  ASSERT_TRUE(client_.Create(JobsResource(), "ml", Job("b", "u2")).ok());
  informer_.Start();
  ASSERT_TRUE(SyncedSoon());
  ASSERT_TRUE(Eventually([&] { return client_.OpenWatches() == 1; }));
  client_.CompactHistory();
  ASSERT_TRUE(
      client_.MergePatch({JobsResource(), "ml", "b"}, {{"metadata", {{"labels", {{"x", "y"}}}}}})
          .ok());
  ASSERT_TRUE(client_.Create(JobsResource(), "ml", Job("c", "u3")).ok());
  ASSERT_TRUE(Eventually([&] { return Saw("update:b") && Saw("add:c"); }));
  EXPECT_FALSE(Saw("update:a"));
  ASSERT_NE(informer_.store().Get("ml/b"), nullptr);
  EXPECT_EQ((*informer_.store().Get("ml/b"))["metadata"]["labels"]["x"], "y");
}

TEST(InformerPagedListTest, AnAbandonedRelistNotifiesNothingTwice) {
  FakeClient fake;
  testing::RecordingClient client(fake);
  ReflectorOptions options;
  options.paged_lists = true;
  options.page_size = 1;
  Informer informer(client, JobsResource(), "ml", SystemClock(), options,
                    StoreEncoding::kDeflated);
  std::mutex mu;
  std::vector<std::string> log;
  auto record = [&](std::string entry) {
    std::lock_guard<std::mutex> guard(mu);
    log.push_back(std::move(entry));
  };
  auto count = [&](const std::string& entry) {
    std::lock_guard<std::mutex> guard(mu);
    return std::count(log.begin(), log.end(), entry);
  };
  informer.AddEventHandlers({[&](const Json& o) { record("add:" + NameOf(o)); },
                             [&](const Json&, const Json& o) { record("update:" + NameOf(o)); },
                             [&](const Json& o) { record("delete:" + NameOf(o)); }});
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_TRUE(fake.Create(JobsResource(), "ml", Job(name, name)).ok());
  }
  StopSignal never;
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(never, SystemClock().Now() + std::chrono::seconds(10)));
  ASSERT_TRUE(Eventually([&] { return fake.OpenWatches() == 1; }));
  // The relist reads its first page only after a is deleted and b changed, and its second
  // page fails once: the first page, with b changed, is delivered and then abandoned; the
  // retried relist delivers it again.
  const size_t lists_before = client.lists().size();
  std::atomic<bool> changed{false};
  client.OnList([&](size_t call) {
    if (call == lists_before) {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (!changed && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    }
    return call == lists_before + 1 ? Status::Unavailable("connection reset") : Status::Ok();
  });
  fake.CompactHistory();  // the watch ends with 410 Gone before it can see the changes
  ASSERT_TRUE(fake.Delete({JobsResource(), "ml", "a"}).ok());
  ASSERT_TRUE(
      fake.MergePatch({JobsResource(), "ml", "b"}, {{"metadata", {{"labels", {{"x", "y"}}}}}})
          .ok());
  changed = true;
  ASSERT_TRUE(Eventually([&] { return count("delete:a") == 1; }));
  EXPECT_GE(client.lists().size(), lists_before + 4);  // 2 pages, 1 failed, then 2 pages
  EXPECT_EQ(count("update:b"), 1);
  EXPECT_EQ(count("update:c"), 0);
  EXPECT_EQ(informer.store().Size(), 2u);
  EXPECT_EQ((*informer.store().Get("ml/b"))["metadata"]["labels"]["x"], "y");
  informer.Stop();
}

TEST_F(InformerTest, HandlerExceptionsDoNotStopTheInformer) {
  informer_.AddEventHandlers({[](const Json&) { throw std::runtime_error("boom"); }, {}, {}});
  informer_.Start();
  ASSERT_TRUE(SyncedSoon());
  ASSERT_TRUE(Eventually([&] { return client_.OpenWatches() == 1; }));
  ASSERT_TRUE(client_.Create(JobsResource(), "ml", Job("a", "u1")).ok());
  ASSERT_TRUE(client_.Create(JobsResource(), "ml", Job("b", "u1")).ok());
  ASSERT_TRUE(Eventually([&] { return Saw("add:b"); }));
}

TEST_F(InformerTest, StopReturnsPromptly) {
  informer_.Start();
  ASSERT_TRUE(SyncedSoon());
  auto started = std::chrono::steady_clock::now();
  informer_.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(400));
}

Json AppliedJob(const std::string& name) {
  Json job = Job(name, "u1");
  job["metadata"]["managedFields"] = Json::array(
      {{{"manager", "kubectl"}, {"operation", "Update"}, {"fieldsV1", {{"f:spec", {}}}}}});
  job["metadata"]["annotations"] = {{"kubectl.kubernetes.io/last-applied-configuration", "{}"},
                                    {"team", "ml"}};
  return job;
}

TEST(DropApplyBookkeepingTest, RemovesManagedFieldsAndLastAppliedAndKeepsOtherAnnotations) {
  Json job = AppliedJob("a");
  DropApplyBookkeeping(job);
  EXPECT_FALSE(job["metadata"].contains("managedFields"));
  EXPECT_EQ(job["metadata"]["annotations"], Json({{"team", "ml"}}));
  EXPECT_EQ(job["metadata"]["ownerReferences"], AppliedJob("a")["metadata"]["ownerReferences"]);
}

TEST(DropApplyBookkeepingTest, RemovesAnAnnotationsMapLeftEmpty) {
  Json job = AppliedJob("a");
  job["metadata"]["annotations"].erase("team");
  DropApplyBookkeeping(job);
  EXPECT_FALSE(job["metadata"].contains("annotations"));
}

TEST(DropApplyBookkeepingTest, LeavesObjectsWithoutMetadataAlone) {
  Json odd = {{"metadata", "not an object"}};
  DropApplyBookkeeping(odd);
  EXPECT_EQ(odd, Json({{"metadata", "not an object"}}));
}

TEST(InformerTransformTest, CacheAndHandlersSeeTransformedObjects) {
  FakeClient client;
  ASSERT_TRUE(client.Create(JobsResource(), "ml", AppliedJob("a")).ok());
  ReflectorOptions options;
  options.transform = DropApplyBookkeeping;
  Informer informer(client, JobsResource(), "ml", SystemClock(), options, StoreEncoding::kCbor);
  std::mutex mu;
  std::vector<Json> seen;
  auto remember = [&](const Json& o) {
    std::lock_guard<std::mutex> guard(mu);
    seen.push_back(o);
  };
  informer.AddEventHandlers({remember, [&](const Json&, const Json& o) { remember(o); }, remember});
  informer.Start();
  StopSignal never;
  ASSERT_TRUE(informer.WaitForSync(never, SystemClock().Now() + std::chrono::seconds(10)));
  ASSERT_TRUE(Eventually([&] { return client.OpenWatches() == 1; }));
  ASSERT_TRUE(client.Create(JobsResource(), "ml", AppliedJob("b")).ok());
  ASSERT_TRUE(Eventually([&] { return informer.store().Size() == 2; }));
  for (const char* key : {"ml/a", "ml/b"}) {
    ObjectPtr cached = informer.store().Get(key);
    ASSERT_NE(cached, nullptr) << key;
    EXPECT_FALSE((*cached)["metadata"].contains("managedFields")) << key;
    EXPECT_EQ((*cached)["metadata"]["annotations"], Json({{"team", "ml"}})) << key;
  }
  ASSERT_TRUE(Eventually([&] {
    std::lock_guard<std::mutex> guard(mu);
    return seen.size() == 2;
  }));
  std::lock_guard<std::mutex> guard(mu);
  for (const Json& o : seen) EXPECT_FALSE(o["metadata"].contains("managedFields")) << NameOf(o);
}

}  // namespace
}  // namespace modelgate::kube
