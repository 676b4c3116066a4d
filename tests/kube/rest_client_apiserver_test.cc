// The real client against a real kube-apiserver. These tests run only when
// MODELGATE_E2E_KUBECONFIG names a kubeconfig (the e2e scenario kube_client_against_apiserver
// sets it to the test bed's); otherwise they are skipped.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "kube/api_error.h"
#include "kube/config.h"
#include "kube/event_recorder.h"
#include "kube/informer.h"
#include "kube/leader_election.h"
#include "kube/rest_client.h"
#include "tests/kube/eventually.h"

namespace modelgate::kube {
namespace {

using testing::Eventually;

class RestClientApiServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* path = std::getenv("MODELGATE_E2E_KUBECONFIG");
    if (path == nullptr || *path == '\0') return;
    Result<ClientConfig> config = LoadKubeconfig(path);
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    Result<std::unique_ptr<Client>> client = NewRestClient(*config);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_ = std::move(client).value().release();
    ns_ = "kube-client-" + std::to_string(::getpid());
    Json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns_}}}};
    Result<Json> created = client_->Create(NamespacesResource(), "", ns);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
  }

  static void TearDownTestSuite() {
    if (client_ == nullptr) return;
    EXPECT_TRUE(client_->Delete({NamespacesResource(), "", ns_}).ok());
    delete client_;
    client_ = nullptr;
  }

  void SetUp() override {
    if (client_ == nullptr) GTEST_SKIP() << "MODELGATE_E2E_KUBECONFIG is not set";
  }

  static Json ConfigMap(const std::string& name, const std::string& value) {
    return {{"apiVersion", "v1"},
            {"kind", "ConfigMap"},
            {"metadata", {{"name", name}, {"labels", {{"app", "kube-client-e2e"}}}}},
            {"data", {{"k", value}}}};
  }
  ResourceRef Ref(const std::string& name) { return {ConfigMapsResource(), ns_, name}; }

  static Client* client_;
  static std::string ns_;
};

Client* RestClientApiServerTest::client_ = nullptr;
std::string RestClientApiServerTest::ns_;

TEST_F(RestClientApiServerTest, CreateGetUpdatePatchDelete) {
  Result<Json> created = client_->Create(ConfigMapsResource(), ns_, ConfigMap("crud", "1"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  Result<Json> got = client_->Get(Ref("crud"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ((*got)["data"]["k"], "1");

  Json next = *got;
  next["data"]["k"] = "2";
  ASSERT_TRUE(client_->Update(Ref("crud"), next).ok());
  next["data"]["k"] = "3";  // still carries the old resourceVersion
  EXPECT_EQ(client_->Update(Ref("crud"), next).status().code(), Status::Code::kConflict);

  Result<Json> patched = client_->MergePatch(Ref("crud"), {{"data", {{"extra", "x"}}}});
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ((*patched)["data"]["k"], "2");
  EXPECT_EQ((*patched)["data"]["extra"], "x");

  DeleteOptions wrong;
  wrong.precondition_uid = "00000000-0000-0000-0000-000000000000";
  EXPECT_EQ(client_->Delete(Ref("crud"), wrong).code(), Status::Code::kConflict);
  ASSERT_TRUE(client_->Delete(Ref("crud")).ok());
  EXPECT_EQ(client_->Get(Ref("crud")).status().code(), Status::Code::kNotFound);
}

TEST_F(RestClientApiServerTest, ErrorsMapToStatusCodes) {
  ASSERT_TRUE(client_->Create(ConfigMapsResource(), ns_, ConfigMap("twice", "1")).ok());
  EXPECT_EQ(client_->Create(ConfigMapsResource(), ns_, ConfigMap("twice", "1")).status().code(),
            Status::Code::kAlreadyExists);
  Result<Json> invalid = client_->Create(ConfigMapsResource(), ns_, ConfigMap("Not_Valid", "1"));
  EXPECT_EQ(invalid.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(invalid.status().message().find("metadata.name"), std::string::npos)
      << invalid.status().message();
}

TEST_F(RestClientApiServerTest, ServerSideApplyCreatesAndUpdates) {
  ApplyOptions options{"modelgate-e2e", true, false};
  Result<Json> applied = client_->Apply(Ref("applied"), ConfigMap("applied", "1"), options);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  applied = client_->Apply(Ref("applied"), ConfigMap("applied", "2"), options);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ((*applied)["data"]["k"], "2");
  EXPECT_EQ((*applied)["metadata"]["managedFields"][0]["manager"], "modelgate-e2e");
}

TEST_F(RestClientApiServerTest, ListPagesWithContinueTokens) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        client_->Create(ConfigMapsResource(), ns_, ConfigMap("page-" + std::to_string(i), "v"))
            .ok());
  }
  ListOptions options;
  options.label_selector = "app=kube-client-e2e";
  options.limit = 2;
  Result<Json> page = client_->List(ConfigMapsResource(), ns_, options);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ((*page)["items"].size(), 2u);
  ASSERT_TRUE((*page)["metadata"].contains("continue"));
}

TEST_F(RestClientApiServerTest, ListLeavesOutTheFieldsOfItemsTheFilterRefuses) {
  ApplyOptions apply{"modelgate-e2e", true, false};
  ASSERT_TRUE(client_->Apply(Ref("filtered"), ConfigMap("filtered", "1"), apply).ok());
  ListOptions options;
  options.field_selector = "metadata.name=filtered";
  Result<Json> whole = client_->List(ConfigMapsResource(), ns_, options);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  ASSERT_EQ((*whole)["items"].size(), 1u);
  EXPECT_TRUE((*whole)["items"][0]["metadata"].contains("managedFields"));
  options.keep_item_field = KeepAllButApplyBookkeeping;
  Result<Json> filtered = client_->List(ConfigMapsResource(), ns_, options);
  ASSERT_TRUE(filtered.ok()) << filtered.status().ToString();
  ASSERT_EQ((*filtered)["items"].size(), 1u);
  const Json& item = (*filtered)["items"][0];
  EXPECT_FALSE(item["metadata"].contains("managedFields")) << item.dump();
  EXPECT_EQ(item["metadata"]["name"], "filtered");
  EXPECT_EQ(item["data"]["k"], "1");
  EXPECT_TRUE((*filtered)["metadata"].contains("resourceVersion"));
}

TEST_F(RestClientApiServerTest, WatchDeliversEventsAfterTheListVersion) {
  Result<Json> list = client_->List(ConfigMapsResource(), ns_, {});
  ASSERT_TRUE(list.ok());
  WatchOptions options;
  options.resource_version = ResourceVersionOf(*list);
  options.timeout_seconds = 30;
  Result<std::unique_ptr<WatchStream>> watch = client_->Watch(ConfigMapsResource(), ns_, options);
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  ASSERT_TRUE(client_->Create(ConfigMapsResource(), ns_, ConfigMap("watched", "1")).ok());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool seen = false;
  while (!seen && std::chrono::steady_clock::now() < deadline) {
    auto event = (*watch)->Next(deadline);
    ASSERT_TRUE(event.ok()) << event.status().ToString();
    if (event->has_value() && (*event)->type == WatchEventType::kAdded &&
        NameOf((*event)->object) == "watched") {
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
  (*watch)->Cancel();
  EXPECT_TRUE(IsWatchEnded(
      (*watch)->Next(std::chrono::steady_clock::now() + std::chrono::seconds(5)).status()));
}

TEST_F(RestClientApiServerTest, InformerSyncsAndFollowsChanges) {
  ASSERT_TRUE(client_->Create(ConfigMapsResource(), ns_, ConfigMap("before", "1")).ok());
  std::mutex mu;
  std::set<std::string> added;
  Informer informer(*client_, ConfigMapsResource(), ns_, SystemClock());
  informer.AddEventHandlers({[&](const Json& o) {
                               std::lock_guard<std::mutex> guard(mu);
                               added.insert(NameOf(o));
                             },
                             {},
                             {}});
  informer.Start();
  StopSignal never;
  ASSERT_TRUE(informer.WaitForSync(never, SystemClock().Now() + std::chrono::seconds(20)));
  // A first list at resourceVersion 0 may come from a watch cache a moment behind; the
  // watch that follows delivers what it missed.
  EXPECT_TRUE(Eventually([&] { return informer.store().Get(ns_ + "/before") != nullptr; }));
  ASSERT_TRUE(client_->Create(ConfigMapsResource(), ns_, ConfigMap("after", "1")).ok());
  EXPECT_TRUE(Eventually([&] {
    std::lock_guard<std::mutex> guard(mu);
    return added.count("after") > 0;
  }));
}

TEST_F(RestClientApiServerTest, LeaseHasOneHolder) {
  LeaderElectionConfig config;
  config.lease_namespace = ns_;
  config.lease_name = "e2e-leader";
  config.identity = "replica-a";
  LeaderElector a(*client_, SystemClock(), config, {});
  config.identity = "replica-b";
  LeaderElector b(*client_, SystemClock(), config, {});
  EXPECT_TRUE(a.TryAcquireOrRenew());
  EXPECT_FALSE(b.TryAcquireOrRenew());
  EXPECT_TRUE(a.TryAcquireOrRenew());
  ASSERT_TRUE(a.Release().ok());
  EXPECT_TRUE(b.TryAcquireOrRenew());
}

TEST_F(RestClientApiServerTest, EventsAreAcceptedAndSeriesPatched) {
  Result<Json> cm = client_->Create(ConfigMapsResource(), ns_, ConfigMap("evented", "1"));
  ASSERT_TRUE(cm.ok());
  EventRecorder recorder(*client_, SystemClock(), {"modelgate.io/e2e", "e2e-0"});
  Status first = recorder.Record(*cm, EventType::kNormal, "Tested", "Test", "first");
  ASSERT_TRUE(first.ok()) << first.ToString();
  Status second = recorder.Record(*cm, EventType::kNormal, "Tested", "Test", "first");
  ASSERT_TRUE(second.ok()) << second.ToString();
  Result<Json> events = client_->List(EventsResource(), ns_, {});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ((*events)["items"].size(), 1u);
  EXPECT_EQ((*events)["items"][0]["series"]["count"], 2);
}

}  // namespace
}  // namespace modelgate::kube
