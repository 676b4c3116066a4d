#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>

#include "kube/event_recorder.h"
#include "kube/fake_client.h"
#include "operator/controller.h"

namespace modelgate::op {
namespace {

using kube::Json;

// A FakeClient whose Event creates wait until Open() is called, as against a slow API server.
class GatedEventsClient final : public kube::Client {
 public:
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    changed_.notify_all();
  }

  // Waits until `n` Event creates have reached the gate, or five seconds.
  bool WaitForWaiting(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [&] { return waiting_ >= n; });
  }

  size_t EventCount() {
    Result<Json> events = inner_.List(kube::EventsResource(), "ml", {});
    return events.ok() ? (*events)["items"].size() : 0;
  }

  Result<Json> Get(const kube::ResourceRef& ref) override { return inner_.Get(ref); }
  Result<Json> List(const kube::GroupVersionResource& gvr, const std::string& ns,
                    const kube::ListOptions& options) override {
    return inner_.List(gvr, ns, options);
  }
  Result<Json> Create(const kube::GroupVersionResource& gvr, const std::string& ns,
                      const Json& object, const kube::WriteOptions& options) override {
    if (gvr == kube::EventsResource()) {
      std::unique_lock<std::mutex> lock(mu_);
      ++waiting_;
      changed_.notify_all();
      changed_.wait(lock, [&] { return open_; });
    }
    return inner_.Create(gvr, ns, object, options);
  }
  Result<Json> Update(const kube::ResourceRef& ref, const Json& object,
                      const kube::WriteOptions& options) override {
    return inner_.Update(ref, object, options);
  }
  Result<Json> MergePatch(const kube::ResourceRef& ref, const Json& patch,
                          const kube::WriteOptions& options) override {
    return inner_.MergePatch(ref, patch, options);
  }
  Result<Json> Apply(const kube::ResourceRef& ref, const Json& object,
                     const kube::ApplyOptions& options) override {
    return inner_.Apply(ref, object, options);
  }
  Status Delete(const kube::ResourceRef& ref, const kube::DeleteOptions& options) override {
    return inner_.Delete(ref, options);
  }
  Result<Json> UpdateStatus(const kube::ResourceRef& ref, const Json& object,
                            const kube::WriteOptions& options) override {
    return inner_.UpdateStatus(ref, object, options);
  }
  Result<Json> PatchStatus(const kube::ResourceRef& ref, const Json& patch,
                           const kube::WriteOptions& options) override {
    return inner_.PatchStatus(ref, patch, options);
  }
  Result<std::unique_ptr<kube::WatchStream>> Watch(const kube::GroupVersionResource& gvr,
                                                   const std::string& ns,
                                                   const kube::WatchOptions& options) override {
    return inner_.Watch(gvr, ns, options);
  }

 private:
  kube::FakeClient inner_;
  std::mutex mu_;
  std::condition_variable changed_;
  bool open_ = false;  // guarded by mu_
  int waiting_ = 0;    // guarded by mu_
};

Json Regarding(const std::string& name) {
  return {{"apiVersion", "modelgate.io/v1alpha1"},
          {"kind", "ModelVersion"},
          {"metadata", {{"name", name}, {"namespace", "ml"}, {"uid", "uid-" + name}}}};
}

class RecorderEventSinkTest : public ::testing::Test {
 protected:
  GatedEventsClient client_;
  kube::EventRecorder recorder_{client_, kube::SystemClock(), {"modelgate.io/operator", "test"}};
};

TEST_F(RecorderEventSinkTest, RecordReturnsWhileTheApiServerIsSlow) {
  auto sink = std::make_unique<RecorderEventSink>(recorder_, 1);
  std::future<void> recorded = std::async(std::launch::async, [&] {
    sink->Record(Regarding("a"), kube::EventType::kNormal, "GateStarted", "gate data started");
  });
  const bool returned = recorded.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  client_.Open();
  EXPECT_TRUE(returned) << "Record waited for the API server";
  sink.reset();
  EXPECT_EQ(client_.EventCount(), 1u);
}

TEST_F(RecorderEventSinkTest, DestructorWritesTheEventsStillWaiting) {
  auto sink = std::make_unique<RecorderEventSink>(recorder_, 1);
  for (const char* name : {"a", "b", "c"}) {
    sink->Record(Regarding(name), kube::EventType::kNormal, "GateStarted", "gate data started");
  }
  ASSERT_TRUE(client_.WaitForWaiting(1));
  client_.Open();
  sink.reset();
  EXPECT_EQ(client_.EventCount(), 3u);
}

TEST_F(RecorderEventSinkTest, DropsEventsBeyondCapacity) {
  auto sink = std::make_unique<RecorderEventSink>(recorder_, 1, 2);
  sink->Record(Regarding("a"), kube::EventType::kNormal, "GateStarted", "written");
  // The only writer is now stuck in the API call, so two more fit and the rest are dropped.
  ASSERT_TRUE(client_.WaitForWaiting(1));
  for (const char* name : {"b", "c", "d", "e"}) {
    sink->Record(Regarding(name), kube::EventType::kNormal, "GateStarted", "queued");
  }
  EXPECT_EQ(sink->dropped(), 2u);
  client_.Open();
  sink.reset();
  EXPECT_EQ(client_.EventCount(), 3u);
}

}  // namespace
}  // namespace modelgate::op
