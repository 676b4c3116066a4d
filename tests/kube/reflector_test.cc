#include "kube/reflector.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <thread>
#include <vector>

#include "kube/api_error.h"
#include "kube/fake_client.h"
#include "tests/kube/eventually.h"
#include "tests/kube/recording_client.h"

namespace modelgate::kube {
namespace {

using testing::Eventually;
using testing::RecordingClient;

// Records what a reflector delivered.
class RecordingSink final : public WholeListSink {
 public:
  void Replace(std::vector<Json> objects, const std::string& rv) override {
    std::lock_guard<std::mutex> guard(mu_);
    log_.push_back("replace:" + std::to_string(objects.size()) + "@" + rv);
    replaces_++;
  }
  void Added(Json object) override { Log("add:" + NameOf(object)); }
  void Modified(Json object) override { Log("modify:" + NameOf(object)); }
  void Deleted(Json object) override { Log("delete:" + NameOf(object)); }

  std::vector<std::string> log() const {
    std::lock_guard<std::mutex> guard(mu_);
    return log_;
  }
  int replaces() const {
    std::lock_guard<std::mutex> guard(mu_);
    return replaces_;
  }
  bool Saw(const std::string& entry) const {
    auto l = log();
    return std::find(l.begin(), l.end(), entry) != l.end();
  }

 private:
  void Log(std::string entry) {
    std::lock_guard<std::mutex> guard(mu_);
    log_.push_back(std::move(entry));
  }
  mutable std::mutex mu_;
  std::vector<std::string> log_;
  int replaces_ = 0;
};

Json Pod(const std::string& name) {
  return {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", name}}}};
}

class ReflectorTest : public ::testing::Test {
 protected:
  void StartRun() {
    thread_ = std::thread([this] { reflector_.Run(stop_); });
  }
  void TearDown() override {
    stop_.Stop();
    if (thread_.joinable()) thread_.join();
  }

  FakeClock clock_;
  FakeClient fake_{clock_};
  RecordingClient client_{fake_};
  RecordingSink sink_;
  ReflectorOptions options_ = [] {
    ReflectorOptions o;
    o.seed = 7;
    o.page_size = 2;
    return o;
  }();
  Reflector reflector_{client_, PodsResource(), "ml", sink_, clock_, options_};
  StopSignal stop_;
  std::thread thread_;
};

TEST_F(ReflectorTest, FirstListReadsTheWatchCacheAtVersionZero) {
  ASSERT_TRUE(fake_.Create(PodsResource(), "ml", Pod("a")).ok());
  StartRun();
  ASSERT_TRUE(Eventually([&] { return sink_.replaces() == 1; }));
  ASSERT_FALSE(client_.lists().empty());
  EXPECT_EQ(client_.lists()[0].resource_version, "0");
}

TEST(ReflectorPagedListsTest, FirstListAsksEtcdForPages) {
  FakeClock clock;
  FakeClient fake{clock};
  RecordingClient client{fake};
  RecordingSink sink;
  ReflectorOptions options;
  options.seed = 7;
  options.page_size = 2;
  options.paged_lists = true;
  Reflector reflector{client, PodsResource(), "ml", sink, clock, options};
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_TRUE(fake.Create(PodsResource(), "ml", Pod(name)).ok());
  }
  StopSignal stop;
  std::thread run([&] { reflector.Run(stop); });
  const bool listed = Eventually([&] { return sink.replaces() == 1; });
  stop.Stop();
  run.join();
  ASSERT_TRUE(listed);
  ASSERT_EQ(client.lists().size(), 2u);
  EXPECT_EQ(client.lists()[0].resource_version, "");
  EXPECT_EQ(client.lists()[0].limit, 2);
  EXPECT_TRUE(sink.Saw("replace:3@" + std::to_string(fake.resource_version())));
}

TEST_F(ReflectorTest, ListFollowsContinueTokensAcrossPages) {
  for (const char* name : {"a", "b", "c", "d", "e"}) {
    ASSERT_TRUE(fake_.Create(PodsResource(), "ml", Pod(name)).ok());
  }
  StartRun();
  ASSERT_TRUE(Eventually([&] { return sink_.replaces() == 1; }));
  EXPECT_EQ(client_.lists().size(), 3u);
  EXPECT_TRUE(sink_.Saw("replace:5@" + std::to_string(fake_.resource_version())));
}

// Records the paged list protocol.
class PagedRecordingSink final : public ReflectorSink {
 public:
  void ListedPage(std::vector<Json> objects) override {
    Log("page:" + std::to_string(objects.size()));
  }
  void ListCompleted(const std::string& rv) override { Log("completed@" + rv); }
  void ListAbandoned() override { Log("abandoned"); }
  void Added(Json) override {}
  void Modified(Json) override {}
  void Deleted(Json) override {}

  std::vector<std::string> log() const {
    std::lock_guard<std::mutex> guard(mu_);
    return log_;
  }

 private:
  void Log(std::string entry) {
    std::lock_guard<std::mutex> guard(mu_);
    log_.push_back(std::move(entry));
  }
  mutable std::mutex mu_;
  std::vector<std::string> log_;
};

class ReflectorPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a", "b", "c", "d", "e"}) {
      ASSERT_TRUE(fake_.Create(PodsResource(), "ml", Pod(name)).ok());
    }
  }
  FakeClock clock_;
  FakeClient fake_{clock_};
  RecordingClient client_{fake_};
  PagedRecordingSink sink_;
  Reflector reflector_{client_, PodsResource(), "ml", sink_, clock_, [] {
                         ReflectorOptions o;
                         o.seed = 7;
                         o.page_size = 2;
                         o.paged_lists = true;
                         return o;
                       }()};
  StopSignal stop_;
};

TEST_F(ReflectorPagesTest, EachPageReachesTheSinkBeforeTheNextIsRequested) {
  std::vector<size_t> pages_seen;  // by the sink when each list call was made
  client_.OnList([&](size_t call) {
    pages_seen.push_back(sink_.log().size());
    // Stopped as the last page is read: ListAndWatch completes the list and does not watch.
    if (call == 2) stop_.Stop();
    return Status::Ok();
  });
  reflector_.ListAndWatch(stop_);
  EXPECT_EQ(pages_seen, (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(sink_.log(),
            (std::vector<std::string>{"page:2", "page:2", "page:1",
                                      "completed@" + std::to_string(fake_.resource_version())}));
}

TEST_F(ReflectorPagesTest, AFailedPageAbandonsTheListWithoutCompletingIt) {
  client_.OnList([](size_t call) {
    return call == 1 ? Status::Unavailable("connection reset") : Status::Ok();
  });
  const Status status = reflector_.ListAndWatch(stop_);
  EXPECT_EQ(status.code(), Status::Code::kUnavailable);
  EXPECT_EQ(sink_.log(), (std::vector<std::string>{"page:2", "abandoned"}));
  EXPECT_EQ(reflector_.lists(), 0);
}

TEST_F(ReflectorPagesTest, AFailedFirstPageDeliversNothing) {
  client_.OnList([](size_t) { return Status::Unavailable("connection refused"); });
  EXPECT_FALSE(reflector_.ListAndWatch(stop_).ok());
  EXPECT_TRUE(sink_.log().empty());
}

TEST_F(ReflectorPagesTest, GoneOnAContinueTokenAbandonsTheList) {
  client_.OnList([](size_t call) {
    if (call != 1) return Status::Ok();
    return StatusFromHttp(410, R"({"kind":"Status","code":410,"reason":"Expired"})", "list pods");
  });
  const Status status = reflector_.ListAndWatch(stop_);
  EXPECT_TRUE(IsGone(status));
  EXPECT_EQ(sink_.log(), (std::vector<std::string>{"page:2", "abandoned"}));
}

TEST_F(ReflectorPagesTest, AStopBetweenPagesAbandonsTheList) {
  client_.OnList([&](size_t call) {
    if (call == 0) stop_.Stop();
    return Status::Ok();
  });
  EXPECT_TRUE(reflector_.ListAndWatch(stop_).ok());
  EXPECT_EQ(client_.lists().size(), 1u);
  EXPECT_TRUE(client_.watches().empty());
  EXPECT_EQ(sink_.log(), (std::vector<std::string>{"page:2", "abandoned"}));
}

TEST(ReflectorPagesExceptionTest, AnExceptionAfterAPageAbandonsTheList) {
  FakeClock clock;
  FakeClient fake{clock};
  RecordingClient client{fake};
  PagedRecordingSink sink;
  ReflectorOptions options;
  options.seed = 7;
  options.page_size = 2;
  options.paged_lists = true;
  options.transform = [](Json& object) {
    if (NameOf(object) == "c") throw std::runtime_error("transform failed");
  };
  Reflector reflector{client, PodsResource(), "ml", sink, clock, options};
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_TRUE(fake.Create(PodsResource(), "ml", Pod(name)).ok());
  }
  StopSignal stop;
  EXPECT_THROW(reflector.ListAndWatch(stop), std::runtime_error);
  EXPECT_EQ(sink.log(), (std::vector<std::string>{"page:2", "abandoned"}));
}

TEST(WholeListSinkTest, AbandonedPagesNeverReachReplace) {
  RecordingSink sink;
  sink.ListedPage({Pod("a"), Pod("b")});
  sink.ListAbandoned();
  sink.ListedPage({Pod("c")});
  sink.ListCompleted("9");
  EXPECT_EQ(sink.log(), (std::vector<std::string>{"replace:1@9"}));
}

TEST_F(ReflectorTest, WatchAsksForBookmarksWithATimeoutBetweenFiveAndTenMinutes) {
  StartRun();
  ASSERT_TRUE(Eventually([&] { return !client_.watches().empty(); }));
  WatchOptions watch = client_.watches()[0];
  EXPECT_TRUE(watch.allow_bookmarks);
  EXPECT_GE(watch.timeout_seconds, 300);
  EXPECT_LT(watch.timeout_seconds, 600);
  EXPECT_EQ(watch.resource_version, std::to_string(fake_.resource_version()));
}

TEST_F(ReflectorTest, WatchEventsReachTheSink) {
  StartRun();
  ASSERT_TRUE(Eventually([&] { return fake_.OpenWatches() == 1; }));
  ASSERT_TRUE(fake_.Create(PodsResource(), "ml", Pod("a")).ok());
  ASSERT_TRUE(fake_.MergePatch({PodsResource(), "ml", "a"}, {{"spec", {{"x", 1}}}}).ok());
  ASSERT_TRUE(fake_.Delete({PodsResource(), "ml", "a"}).ok());
  ASSERT_TRUE(Eventually([&] { return sink_.Saw("delete:a"); }));
  EXPECT_EQ(sink_.log(),
            (std::vector<std::string>{"replace:0@1", "add:a", "modify:a", "delete:a"}));
}

TEST_F(ReflectorTest, BookmarkAdvancesTheResumeVersion) {
  StartRun();
  ASSERT_TRUE(Eventually([&] { return fake_.OpenWatches() == 1; }));
  // A change in another namespace moves the version without an event for this watch.
  ASSERT_TRUE(fake_.Create(PodsResource(), "other", Pod("x")).ok());
  fake_.SendBookmark(PodsResource());
  std::string want = std::to_string(fake_.resource_version());
  ASSERT_TRUE(Eventually([&] { return reflector_.last_resource_version() == want; }));
}

TEST_F(ReflectorTest, WatchEndedByTheServerResumesWithoutRelisting) {
  StartRun();
  ASSERT_TRUE(Eventually([&] { return fake_.OpenWatches() == 1; }));
  ASSERT_TRUE(fake_.Create(PodsResource(), "ml", Pod("a")).ok());
  ASSERT_TRUE(Eventually([&] { return sink_.Saw("add:a"); }));
  fake_.CloseWatches();
  ASSERT_TRUE(Eventually([&] { return client_.watches().size() == 2; }));
  EXPECT_EQ(client_.watches()[1].resource_version, std::to_string(fake_.resource_version()));
  EXPECT_EQ(reflector_.lists(), 1);
}

TEST_F(ReflectorTest, GoneLeadsToAConsistentRelist) {
  StartRun();
  ASSERT_TRUE(Eventually([&] { return fake_.OpenWatches() == 1; }));
  ASSERT_TRUE(fake_.Create(PodsResource(), "ml", Pod("a")).ok());
  fake_.CompactHistory();
  ASSERT_TRUE(Eventually([&] { return reflector_.lists() == 2; }));
  std::vector<ListOptions> lists = client_.lists();
  EXPECT_EQ(lists.back().resource_version, "");
}

TEST_F(ReflectorTest, FailedListBacksOffOnTheClockThenRetries) {
  fake_.InjectError("list", Status::Unavailable("connection refused"), 1);
  StartRun();
  ASSERT_TRUE(Eventually([&] { return clock_.Waiters() == 1; }));
  EXPECT_EQ(reflector_.lists(), 0);
  clock_.Advance(std::chrono::seconds(2));  // initial 800 ms with up to 100% jitter
  ASSERT_TRUE(Eventually([&] { return reflector_.lists() == 1; }));
}

TEST_F(ReflectorTest, RetryAfterFromTheServerSetsTheBackoff) {
  fake_.InjectError("list", StatusFromHttp(429, "", "GET", std::chrono::seconds(20)), 1);
  StartRun();
  ASSERT_TRUE(Eventually([&] { return clock_.Waiters() == 1; }));
  clock_.Advance(std::chrono::seconds(19));
  ASSERT_TRUE(Eventually([&] { return clock_.Waiters() == 1; }));
  EXPECT_EQ(reflector_.lists(), 0);
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(Eventually([&] { return reflector_.lists() == 1; }));
}

TEST_F(ReflectorTest, StopEndsRunDuringBackoff) {
  fake_.InjectError("list", Status::Unavailable("down"), 100);
  StartRun();
  ASSERT_TRUE(Eventually([&] { return clock_.Waiters() == 1; }));
  stop_.Stop();
  thread_.join();
  SUCCEED();
}

// Records, per delivered object, whether it still had a spec.
class SpecRecordingSink final : public WholeListSink {
 public:
  void Replace(std::vector<Json> objects, const std::string&) override {
    for (const Json& o : objects) Log("list:" + Describe(o));
  }
  void Added(Json object) override { Log("add:" + Describe(object)); }
  void Modified(Json object) override { Log("modify:" + Describe(object)); }
  void Deleted(Json object) override { Log("delete:" + Describe(object)); }
  std::vector<std::string> log() const {
    std::lock_guard<std::mutex> guard(mu_);
    return log_;
  }

 private:
  static std::string Describe(const Json& o) {
    return NameOf(o) + (o.contains("spec") ? "+spec" : "");
  }
  void Log(std::string entry) {
    std::lock_guard<std::mutex> guard(mu_);
    log_.push_back(std::move(entry));
  }
  mutable std::mutex mu_;
  std::vector<std::string> log_;
};

TEST(ReflectorTransformTest, SinkSeesListedAndWatchedObjectsTransformed) {
  FakeClock clock;
  FakeClient fake{clock};
  Json pod = Pod("a");
  pod["spec"] = {{"x", 1}};
  ASSERT_TRUE(fake.Create(PodsResource(), "ml", pod).ok());
  SpecRecordingSink sink;
  ReflectorOptions options;
  options.seed = 7;
  options.transform = [](Json& object) { object.erase("spec"); };
  Reflector reflector{fake, PodsResource(), "ml", sink, clock, options};
  StopSignal stop;
  std::thread thread([&] { reflector.Run(stop); });
  ASSERT_TRUE(Eventually([&] { return fake.OpenWatches() == 1; }));
  pod = Pod("b");
  pod["spec"] = {{"x", 2}};
  ASSERT_TRUE(fake.Create(PodsResource(), "ml", pod).ok());
  ASSERT_TRUE(fake.MergePatch({PodsResource(), "ml", "b"}, {{"spec", {{"x", 3}}}}).ok());
  ASSERT_TRUE(fake.Delete({PodsResource(), "ml", "b"}).ok());
  const bool delivered = Eventually([&] { return sink.log().size() == 4; });
  stop.Stop();
  thread.join();
  ASSERT_TRUE(delivered);
  EXPECT_EQ(sink.log(), (std::vector<std::string>{"list:a", "add:b", "modify:b", "delete:b"}));
}

TEST(ReflectorTransformTest, ListPagesArriveWithoutTheFieldsTheFilterLeavesOut) {
  FakeClock clock;
  FakeClient fake{clock};
  for (const char* name : {"a", "b", "c"}) {
    Json pod = Pod(name);
    pod["spec"] = {{"x", 1}};
    pod["metadata"]["managedFields"] = Json::array({{{"manager", "kubectl"}}});
    ASSERT_TRUE(fake.Create(PodsResource(), "ml", pod).ok());
  }
  ReflectorOptions options;
  options.paged_lists = true;
  options.page_size = 2;
  options.keep_item_field = [](std::span<const std::string> path) { return path[0] != "spec"; };
  std::vector<std::string> seen;  // what the transform got, before it changed anything
  options.transform = [&seen](Json& object) {
    seen.push_back(object["metadata"]["name"].get<std::string>() +
                   (object.contains("spec") ? "+spec" : "") +
                   (object["metadata"].contains("managedFields") ? "+managedFields" : ""));
  };
  SpecRecordingSink sink;
  Reflector reflector{fake, PodsResource(), "ml", sink, clock, options};
  StopSignal stop;
  std::thread thread([&] { reflector.Run(stop); });
  const bool listed = Eventually([&] { return sink.log().size() == 3; });
  stop.Stop();
  thread.join();
  ASSERT_TRUE(listed);
  EXPECT_EQ(seen,
            (std::vector<std::string>{"a+managedFields", "b+managedFields", "c+managedFields"}));
  int lists = 0;
  for (const FakeClient::Action& action : fake.Actions()) lists += action.verb == "list";
  EXPECT_EQ(lists, 2);
}

}  // namespace
}  // namespace modelgate::kube
