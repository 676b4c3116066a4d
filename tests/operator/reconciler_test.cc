#include "operator/reconciler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/model_version.h"
#include "kube/fake_client.h"

namespace modelgate::op {
namespace {

using kube::Json;
using ::testing::HasSubstr;

struct RecordedEvent {
  std::string reason;
  std::string note;
};

class RecordingSink final : public EventSink {
 public:
  void Record(const Json&, kube::EventType, const std::string& reason,
              const std::string& note) override {
    events.push_back({reason, note});
  }
  bool Has(const std::string& reason) const {
    for (const RecordedEvent& e : events) {
      if (e.reason == reason) return true;
    }
    return false;
  }
  std::vector<RecordedEvent> events;
};

Json ModelVersionJson(const std::string& name) {
  return {{"apiVersion", "modelgate.io/v1alpha1"},
          {"kind", "ModelVersion"},
          {"metadata", {{"name", name}, {"namespace", "ml"}}},
          {"spec",
           {{"model", "fraud"},
            {"version", "3"},
            {"artifact", {{"uri", "s3://models/fraud/3"}, {"format", "sklearn"}}},
            {"serving", {{"image", "registry.local/fraud:3"}}},
            {"datasets",
             {{"training", {{"uri", "s3://data/train.csv"}}},
              {"holdout", {{"uri", "s3://data/holdout.csv"}}},
              {"reference", {{"uri", "s3://data/reference.csv"}}}}}}}};
}

class ReconcilerTest : public ::testing::Test {
 protected:
  ReconcilerTest() : client_(clock_) {
    EXPECT_TRUE(AddControllerIndex(jobs_).ok());
    EXPECT_TRUE(AddControllerIndex(pods_).ok());
  }

  std::unique_ptr<Reconciler> MakeReconciler(int cap = 10) {
    ReconcilerOptions options;
    options.job.validator_image = "registry.local/modelgate:test";
    options.max_concurrent_jobs = cap;
    return std::make_unique<Reconciler>(
        client_, Caches{model_versions_, jobs_, pods_, policies_, namespaces_}, clock_, events_,
        options);
  }

  // Copies the fake API server's state into the caches, as the informers would.
  void Sync() {
    struct Pair {
      kube::GroupVersionResource gvr;
      kube::Store* store;
    };
    for (const Pair& p :
         {Pair{kube::ModelVersionsResource(), &model_versions_}, Pair{kube::JobsResource(), &jobs_},
          Pair{kube::PodsResource(), &pods_}, Pair{kube::ModelGatePoliciesResource(), &policies_},
          Pair{kube::NamespacesResource(), &namespaces_}}) {
      Result<Json> list = client_.List(p.gvr, "", {});
      ASSERT_TRUE(list.ok()) << list.status().ToString();
      std::vector<Json> items;
      for (const Json& item : (*list)["items"]) items.push_back(item);
      p.store->Replace(std::move(items));
    }
  }

  void CreateModelVersion(const std::string& name) {
    ASSERT_TRUE(client_.Create(kube::ModelVersionsResource(), "ml", ModelVersionJson(name)).ok());
  }

  ModelVersion Get(const std::string& name) {
    Result<Json> json = client_.Get({kube::ModelVersionsResource(), "ml", name});
    EXPECT_TRUE(json.ok());
    Result<ModelVersion> mv = ModelVersionFromJson(*json);
    EXPECT_TRUE(mv.ok()) << mv.status().ToString();
    return mv.ok() ? *mv : ModelVersion{};
  }

  std::vector<std::string> Names(const kube::GroupVersionResource& gvr) {
    std::vector<std::string> names;
    Result<Json> list = client_.List(gvr, "ml", {});
    for (const Json& item : (*list)["items"]) names.push_back(kube::NameOf(item));
    return names;
  }

  // Completes the Job of `gate` with a validator result.
  void FinishJob(const std::string& mv_name, GateName gate, const std::string& verdict,
                 const std::string& message = "", Json metrics = Json::object()) {
    ModelVersion mv = Get(mv_name);
    const std::string job_name = ValidationJobName(mv.metadata, gate, RevalidateToken(mv.metadata));
    Result<Json> job = client_.Get({kube::JobsResource(), "ml", job_name});
    ASSERT_TRUE(job.ok()) << job_name;
    Json updated = *job;
    updated["status"] = {{"succeeded", 1},
                         {"conditions", Json::array({{{"type", "Complete"}, {"status", "True"}}})}};
    ASSERT_TRUE(client_.UpdateStatus({kube::JobsResource(), "ml", job_name}, updated).ok());
    Json result = {
        {"gate", ToString(gate)}, {"verdict", verdict}, {"message", message}, {"metrics", metrics}};
    Json pod = {
        {"apiVersion", "v1"},
        {"kind", "Pod"},
        {"metadata",
         {{"name", job_name + "-pod"},
          {"namespace", "ml"},
          {"ownerReferences", Json::array({{{"apiVersion", "batch/v1"},
                                            {"kind", "Job"},
                                            {"name", job_name},
                                            {"uid", kube::UidOf(*job)},
                                            {"controller", true}}})}}},
        {"status",
         {{"containerStatuses",
           Json::array(
               {{{"name", "validator"},
                 {"state", {{"terminated", {{"exitCode", 0}, {"message", result.dump()}}}}}}})}}}};
    ASSERT_TRUE(client_.Create(kube::PodsResource(), "ml", pod).ok());
  }

  kube::FakeClock clock_;
  kube::FakeClient client_;
  kube::Store model_versions_, jobs_, pods_, policies_, namespaces_;
  RecordingSink events_;
};

TEST_F(ReconcilerTest, CreatesConfigMapAndJobForTheDataGate) {
  CreateModelVersion("fraud-v3");
  Sync();
  ReconcileReport report = MakeReconciler()->Reconcile("ml/fraud-v3");
  ASSERT_TRUE(report.status.ok()) << report.status.ToString();

  ModelVersion mv = Get("fraud-v3");
  const std::string job = ValidationJobName(mv.metadata, GateName::kData, "");
  EXPECT_THAT(Names(kube::JobsResource()), ::testing::ElementsAre(job));
  EXPECT_THAT(Names(kube::ConfigMapsResource()), ::testing::ElementsAre(job));
  EXPECT_EQ(mv.status.phase, ModelVersionPhase::kValidating);
  EXPECT_EQ(mv.status.FindGate(GateName::kData)->job, job);
  EXPECT_EQ(mv.status.observed_generation, mv.metadata.generation);
  EXPECT_TRUE(IsConditionTrue(mv.status.conditions, kConditionReconciling));
  EXPECT_TRUE(events_.Has("GateStarted"));
}

TEST_F(ReconcilerTest, RestartedOperatorCreatesNoDuplicateJob) {
  CreateModelVersion("fraud-v3");
  Sync();
  ASSERT_TRUE(MakeReconciler()->Reconcile("ml/fraud-v3").status.ok());
  // A new process with caches that have not seen the Job yet.
  model_versions_.Replace({});
  Sync();
  jobs_.Replace({});
  ReconcileReport again = MakeReconciler()->Reconcile("ml/fraud-v3");
  ASSERT_TRUE(again.status.ok()) << again.status.ToString();
  EXPECT_EQ(Names(kube::JobsResource()).size(), 1u);
}

TEST_F(ReconcilerTest, PassedGateStartsTheNextOne) {
  CreateModelVersion("fraud-v3");
  Sync();
  auto reconciler = MakeReconciler();
  ASSERT_TRUE(reconciler->Reconcile("ml/fraud-v3").status.ok());
  FinishJob("fraud-v3", GateName::kData, "Passed", "drift share 0.1", {{"driftShare", 0.1}});
  Sync();
  ReconcileReport report = reconciler->Reconcile("ml/fraud-v3");
  ASSERT_TRUE(report.status.ok()) << report.status.ToString();
  EXPECT_EQ(report.finished_gates.at(GateName::kData), GatePhase::kPassed);

  ModelVersion mv = Get("fraud-v3");
  EXPECT_EQ(mv.status.FindGate(GateName::kData)->phase, GatePhase::kPassed);
  EXPECT_EQ(mv.status.FindGate(GateName::kData)->metrics.at("driftShare"), 0.1);
  EXPECT_EQ(mv.status.FindGate(GateName::kQuality)->phase, GatePhase::kRunning);
  EXPECT_TRUE(IsConditionTrue(mv.status.conditions, kConditionDataValidated));
  EXPECT_EQ(Names(kube::JobsResource()).size(), 2u);
}

TEST_F(ReconcilerTest, AllGatesPassedMakesModelVersionReady) {
  CreateModelVersion("fraud-v3");
  auto reconciler = MakeReconciler();
  for (GateName gate : kAllGates) {
    Sync();
    ASSERT_TRUE(reconciler->Reconcile("ml/fraud-v3").status.ok());
    FinishJob("fraud-v3", gate, "Passed");
  }
  Sync();
  ASSERT_TRUE(reconciler->Reconcile("ml/fraud-v3").status.ok());
  ModelVersion mv = Get("fraud-v3");
  EXPECT_EQ(mv.status.phase, ModelVersionPhase::kPassed);
  EXPECT_TRUE(IsConditionTrue(mv.status.conditions, kConditionReady));
  EXPECT_EQ(mv.status.gates_passed, "4/4");
  EXPECT_TRUE(mv.status.validated_at.has_value());
  EXPECT_TRUE(events_.Has("Validated"));
}

TEST_F(ReconcilerTest, FailedGateGivesFailedWithTheNumber) {
  CreateModelVersion("fraud-v3");
  Sync();
  auto reconciler = MakeReconciler();
  ASSERT_TRUE(reconciler->Reconcile("ml/fraud-v3").status.ok());
  FinishJob("fraud-v3", GateName::kData, "Failed", "drift share 0.62 > 0.5",
            {{"driftShare", 0.62}});
  Sync();
  ASSERT_TRUE(reconciler->Reconcile("ml/fraud-v3").status.ok());
  ModelVersion mv = Get("fraud-v3");
  EXPECT_EQ(mv.status.phase, ModelVersionPhase::kFailed);
  const Condition* data = FindCondition(mv.status.conditions, kConditionDataValidated);
  ASSERT_NE(data, nullptr);
  EXPECT_THAT(data->message, HasSubstr("0.62"));
  EXPECT_EQ(Names(kube::JobsResource()).size(), 1u);
  EXPECT_TRUE(events_.Has("GateFailed"));
}

TEST_F(ReconcilerTest, NewGenerationDeletesStaleJobsAndStartsOver) {
  CreateModelVersion("fraud-v3");
  Sync();
  auto reconciler = MakeReconciler();
  ASSERT_TRUE(reconciler->Reconcile("ml/fraud-v3").status.ok());
  const std::string old_job = Names(kube::JobsResource()).at(0);

  Result<Json> stored = client_.Get({kube::ModelVersionsResource(), "ml", "fraud-v3"});
  Json changed = *stored;
  changed["spec"]["version"] = "3b";
  ASSERT_TRUE(client_.Update({kube::ModelVersionsResource(), "ml", "fraud-v3"}, changed).ok());
  Sync();
  ASSERT_TRUE(reconciler->Reconcile("ml/fraud-v3").status.ok());

  ModelVersion mv = Get("fraud-v3");
  EXPECT_EQ(mv.metadata.generation, 2);
  const std::string new_job = ValidationJobName(mv.metadata, GateName::kData, "");
  EXPECT_THAT(Names(kube::JobsResource()), ::testing::ElementsAre(new_job));
  EXPECT_THAT(Names(kube::ConfigMapsResource()), ::testing::ElementsAre(new_job));
  EXPECT_NE(old_job, new_job);
  EXPECT_EQ(mv.status.observed_generation, 2);
}

TEST_F(ReconcilerTest, RevalidateAnnotationForcesNewRun) {
  CreateModelVersion("fraud-v3");
  Sync();
  auto reconciler = MakeReconciler();
  ASSERT_TRUE(reconciler->Reconcile("ml/fraud-v3").status.ok());
  FinishJob("fraud-v3", GateName::kData, "Failed", "drift share 0.62 > 0.5");
  Sync();
  ASSERT_TRUE(reconciler->Reconcile("ml/fraud-v3").status.ok());

  ASSERT_TRUE(client_
                  .MergePatch({kube::ModelVersionsResource(), "ml", "fraud-v3"},
                              {{"metadata", {{"annotations", {{kRevalidateAnnotation, "1"}}}}}})
                  .ok());
  Sync();
  ASSERT_TRUE(reconciler->Reconcile("ml/fraud-v3").status.ok());
  ModelVersion mv = Get("fraud-v3");
  EXPECT_EQ(mv.status.phase, ModelVersionPhase::kValidating);
  EXPECT_THAT(Names(kube::JobsResource()),
              ::testing::ElementsAre(ValidationJobName(mv.metadata, GateName::kData, "1")));
}

TEST_F(ReconcilerTest, JobCapMakesOthersWait) {
  CreateModelVersion("a");
  CreateModelVersion("b");
  Sync();
  auto reconciler = MakeReconciler(/*cap=*/1);
  ASSERT_TRUE(reconciler->Reconcile("ml/a").status.ok());
  // The cache has not seen a's Job yet; the reservation still counts.
  ReconcileReport waiting = reconciler->Reconcile("ml/b");
  ASSERT_TRUE(waiting.status.ok());
  EXPECT_TRUE(waiting.requeue_after.has_value());
  EXPECT_EQ(Names(kube::JobsResource()).size(), 1u);
  ModelVersion b = Get("b");
  EXPECT_EQ(b.status.phase, ModelVersionPhase::kPending);
  const Condition* reconciling = FindCondition(b.status.conditions, kConditionReconciling);
  ASSERT_NE(reconciling, nullptr);
  EXPECT_EQ(reconciling->reason, "WaitingForJobSlot");
  EXPECT_EQ(reconciler->RunningJobs(), 1);
}

TEST_F(ReconcilerTest, StatusConflictIsRetried) {
  CreateModelVersion("fraud-v3");
  Sync();
  client_.InjectError("update-status", Status::Conflict("the object has been modified"), 2);
  ReconcileReport report = MakeReconciler()->Reconcile("ml/fraud-v3");
  ASSERT_TRUE(report.status.ok()) << report.status.ToString();
  EXPECT_EQ(Get("fraud-v3").status.phase, ModelVersionPhase::kValidating);
}

TEST_F(ReconcilerTest, UnchangedWorldWritesNothing) {
  CreateModelVersion("fraud-v3");
  Sync();
  auto reconciler = MakeReconciler();
  ASSERT_TRUE(reconciler->Reconcile("ml/fraud-v3").status.ok());
  Sync();
  ASSERT_TRUE(reconciler->Reconcile("ml/fraud-v3").status.ok());  // sees its Job
  Sync();
  client_.ClearActions();
  ASSERT_TRUE(reconciler->Reconcile("ml/fraud-v3").status.ok());
  for (const kube::FakeClient::Action& action : client_.Actions()) {
    EXPECT_NE(action.verb, "update-status");
    EXPECT_NE(action.verb, "create");
  }
}

TEST_F(ReconcilerTest, MissingChampionIsGateError) {
  Json mv = ModelVersionJson("fraud-v3");
  mv["spec"]["gates"] = {{"data", {{"enabled", false}}},
                         {"quality", {{"champion", {{"modelVersion", "fraud-v2"}}}}}};
  ASSERT_TRUE(client_.Create(kube::ModelVersionsResource(), "ml", mv).ok());
  Sync();
  ASSERT_TRUE(MakeReconciler()->Reconcile("ml/fraud-v3").status.ok());
  ModelVersion got = Get("fraud-v3");
  EXPECT_EQ(got.status.phase, ModelVersionPhase::kError);
  EXPECT_THAT(FindCondition(got.status.conditions, kConditionQualityValidated)->message,
              HasSubstr("ml/fraud-v2"));
}

TEST_F(ReconcilerTest, DeletedModelVersionIsNothingToDo) {
  ReconcileReport report = MakeReconciler()->Reconcile("ml/gone");
  EXPECT_TRUE(report.status.ok());
  EXPECT_TRUE(client_.Actions().empty());
}

}  // namespace
}  // namespace modelgate::op
