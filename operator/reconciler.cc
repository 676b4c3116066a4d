#include "operator/reconciler.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "api/model_gate_policy.h"
#include "api/model_version.h"
#include "operator/effective_gates.h"
#include "operator/gate_progress.h"
#include "operator/job_outcome.h"

namespace modelgate::op {
namespace {

bool IsFinished(GatePhase phase) {
  return phase == GatePhase::kPassed || phase == GatePhase::kFailed || phase == GatePhase::kError;
}

Labels LabelsOf(const Json& object) {
  Labels labels;
  if (!object.contains("metadata") || !object["metadata"].contains("labels")) return labels;
  const Json& json = object["metadata"]["labels"];
  if (!json.is_object()) return labels;
  for (const auto& [key, value] : json.items()) {
    if (value.is_string()) labels[key] = value.get<std::string>();
  }
  return labels;
}

// The object an Event is about.
Json Regarding(const Json& mv) {
  return {{"apiVersion", kApiVersion},
          {"kind", kModelVersionKind},
          {"metadata",
           {{"name", kube::NameOf(mv)},
            {"namespace", kube::NamespaceOf(mv)},
            {"uid", kube::UidOf(mv)},
            {"resourceVersion", kube::ResourceVersionOf(mv)}}}};
}

kube::ResourceRef ModelVersionRef(const std::string& ns, const std::string& name) {
  return {kube::ModelVersionsResource(), ns, name};
}

// The Events for what changed between `before` and `after`.
void RecordTransitions(EventSink& events, const Json& regarding, const ModelVersionStatus& before,
                       const ModelVersionStatus& after) {
  for (const GateStatus& gate : after.gates) {
    const GateStatus* old = before.FindGate(gate.name);
    if (old != nullptr && old->phase == gate.phase && old->job == gate.job) continue;
    const std::string name = ToString(gate.name);
    switch (gate.phase) {
      case GatePhase::kRunning:
        if (old == nullptr || old->job != gate.job) {
          events.Record(regarding, kube::EventType::kNormal, "GateStarted",
                        "gate " + name + ": validation Job " + gate.job + " created");
        }
        break;
      case GatePhase::kPassed:
        events.Record(regarding, kube::EventType::kNormal, "GatePassed",
                      "gate " + name + " passed: " + gate.message);
        break;
      case GatePhase::kFailed:
        events.Record(regarding, kube::EventType::kWarning, "GateFailed",
                      "gate " + name + " failed: " + gate.message);
        break;
      case GatePhase::kError:
        events.Record(regarding, kube::EventType::kWarning, "GateError",
                      "gate " + name + " could not run: " + gate.message);
        break;
      case GatePhase::kPending:
      case GatePhase::kSkipped:
        break;
    }
  }
  if (before.phase == after.phase || !after.phase) return;
  const Condition* ready = FindCondition(after.conditions, kConditionReady);
  const std::string message = ready != nullptr ? ready->message : "";
  switch (*after.phase) {
    case ModelVersionPhase::kPassed:
      events.Record(regarding, kube::EventType::kNormal, "Validated", message);
      break;
    case ModelVersionPhase::kFailed:
      events.Record(regarding, kube::EventType::kWarning, "ValidationFailed", message);
      break;
    case ModelVersionPhase::kError:
      events.Record(regarding, kube::EventType::kWarning, "ValidationError", message);
      break;
    case ModelVersionPhase::kPending:
    case ModelVersionPhase::kValidating:
      break;
  }
}

}  // namespace

Status AddControllerIndex(kube::Store& store) {
  return store.AddIndex(kControllerUidIndex, kube::IndexByControllerUid());
}

Reconciler::Reconciler(kube::Client& client, Caches caches, const kube::Clock& clock,
                       EventSink& events, ReconcilerOptions options)
    : client_(client),
      caches_(caches),
      clock_(clock),
      events_(events),
      options_(std::move(options)),
      slots_(caches.jobs, options_.max_concurrent_jobs) {}

ReconcileReport Reconciler::Reconcile(const std::string& key) {
  ReconcileReport report;
  std::string ns;
  std::string name;
  kube::SplitObjectKey(key, &ns, &name);
  kube::ObjectPtr cached = caches_.model_versions.Get(key);
  if (cached == nullptr) return report;  // deleted: its Jobs go with it (ownerReferences)
  if (cached->contains("metadata") && (*cached)["metadata"].contains("deletionTimestamp")) {
    return report;
  }
  const Timestamp now = std::chrono::floor<std::chrono::seconds>(clock_.WallNow());

  Result<ModelVersion> decoded = ModelVersionFromJson(*cached);
  if (!decoded.ok()) {
    // The API server accepted it, so the CRD and this operator disagree; say so on the
    // object and wait for a new generation.
    ModelVersionStatus status;
    if (cached->contains("status")) {
      Result<ModelVersionStatus> old = ModelVersionStatusFromJson((*cached)["status"]);
      if (old.ok()) status = *old;
    }
    const int64_t generation = (*cached)["metadata"].value("generation", int64_t{0});
    status.phase = ModelVersionPhase::kError;
    status.observed_generation = generation;
    const std::string message = decoded.status().message();
    SetCondition(status.conditions,
                 {kConditionReady, ConditionStatus::kFalse, generation, {}, "InvalidSpec", message},
                 now);
    SetCondition(
        status.conditions,
        {kConditionStalled, ConditionStatus::kTrue, generation, {}, "InvalidSpec", message}, now);
    spdlog::warn("event=invalid_spec namespace={} name={} error=\"{}\"", ns, name, message);
    report.status = WriteStatus(ns, name, *cached, ToJson(status), generation);
    return report;
  }
  const ModelVersion& mv = *decoded;
  const std::string token = RevalidateToken(mv.metadata);

  Labels namespace_labels = {{"kubernetes.io/metadata.name", ns}};
  if (kube::ObjectPtr namespace_object = caches_.namespaces.Get(ns)) {
    namespace_labels = LabelsOf(*namespace_object);
  }
  std::vector<ModelGatePolicy> policies;
  for (const kube::ObjectPtr& object : caches_.policies.List()) {
    Result<ModelGatePolicy> policy = ModelGatePolicyFromJson(*object);
    if (policy.ok()) {
      policies.push_back(std::move(policy).value());
    } else {
      spdlog::warn("event=invalid_policy name={} error=\"{}\"", kube::NameOf(*object),
                   policy.status().message());
    }
  }
  const EffectiveGates effective = ComputeEffectiveGates(mv, namespace_labels, policies);

  std::map<std::string, kube::ObjectPtr> owned;
  if (Result<std::vector<kube::ObjectPtr>> jobs =
          caches_.jobs.ByIndex(kControllerUidIndex, mv.metadata.uid);
      jobs.ok()) {
    for (const kube::ObjectPtr& job : *jobs) owned[kube::NameOf(*job)] = job;
  }

  ProgressInput input;
  input.mv = &mv;
  input.effective = &effective;
  input.now = now;
  std::map<std::string, bool> current_names;
  std::map<GateName, ModelVersion> champions;
  for (GateName gate : kAllGates) {
    GateRun& run = input.runs[gate];
    run.job_name = ValidationJobName(mv.metadata, gate, token);
    current_names[run.job_name] = true;
    if (auto it = owned.find(run.job_name); it != owned.end()) {
      run.job = it->second.get();
      if (Result<std::vector<kube::ObjectPtr>> pods =
              caches_.pods.ByIndex(kControllerUidIndex, kube::UidOf(*it->second));
          pods.ok()) {
        for (const kube::ObjectPtr& pod : *pods) run.pods.push_back(*pod);
      }
    }
    const std::string champion = ChampionOf(effective.gates, gate);
    if (champion.empty()) continue;
    kube::ObjectPtr object = caches_.model_versions.Get(kube::ObjectKey(ns, champion));
    Result<ModelVersion> champion_mv = object ? ModelVersionFromJson(*object)
                                              : Result<ModelVersion>(Status::NotFound("not found"));
    if (champion_mv.ok()) {
      champions.emplace(gate, std::move(champion_mv).value());
    } else {
      run.blocked =
          "champion ModelVersion " + ns + "/" + champion + ": " + champion_mv.status().message();
    }
  }

  // Jobs of an older generation or revalidate token are stale: their results no longer
  // describe this spec.
  for (const auto& [job_name, job] : owned) {
    if (current_names.count(job_name) != 0) continue;
    if (LabelsOf(*job).count(kManagedByLabel) == 0) continue;
    kube::DeleteOptions background;
    background.propagation_policy = "Background";  // the Job's pods go with it
    Status deleted = client_.Delete({kube::JobsResource(), ns, job_name}, background);
    if (!deleted.ok() && deleted.code() != Status::Code::kNotFound) {
      report.status = deleted;
      return report;
    }
    Status config_deleted = client_.Delete({kube::ConfigMapsResource(), ns, job_name});
    if (!config_deleted.ok() && config_deleted.code() != Status::Code::kNotFound) {
      report.status = config_deleted;
      return report;
    }
    spdlog::info("event=stale_job_deleted namespace={} name={} job={}", ns, name, job_name);
  }

  Progress progress = ComputeProgress(input);
  if (progress.start) {
    const GateName gate = *progress.start;
    auto champion = champions.find(gate);
    ValidationJobObjects objects = BuildValidationJob(
        mv, gate, effective, champion == champions.end() ? nullptr : &champion->second, token,
        options_.job);
    const std::string job_key = kube::ObjectKey(ns, input.runs[gate].job_name);
    if (!slots_.TryReserve(job_key, key)) {
      input.job_slot_free = false;
      progress = ComputeProgress(input);
    } else if (Result<bool> created = CreateJob(objects); !created.ok()) {
      slots_.Release(job_key);
      report.status = created.status();
      return report;
    } else if (*created) {
      spdlog::info("event=job_created namespace={} name={} gate={} job={}", ns, name,
                   ToString(gate), input.runs[gate].job_name);
    }
  }
  if (progress.waiting_for_slot) report.requeue_after = options_.slot_retry;

  if (progress.status != mv.status) {
    report.status = WriteStatus(ns, name, *cached, ToJson(progress.status), mv.metadata.generation);
    if (!report.status.ok()) return report;
    RecordTransitions(events_, Regarding(*cached), mv.status, progress.status);
    if (progress.status.phase != mv.status.phase) {
      spdlog::info("event=phase namespace={} name={} phase={} gates_passed={}", ns, name,
                   ToString(*progress.status.phase), progress.status.gates_passed);
    }
  }
  for (const GateStatus& gate : progress.status.gates) {
    const GateStatus* old = mv.status.FindGate(gate.name);
    const bool was_finished = old != nullptr && old->job == gate.job && IsFinished(old->phase);
    if (IsFinished(gate.phase) && !was_finished) report.finished_gates[gate.name] = gate.phase;
  }
  return report;
}

Result<bool> Reconciler::CreateJob(const ValidationJobObjects& objects) {
  const std::string ns = kube::NamespaceOf(objects.job);
  kube::WriteOptions write;
  write.field_manager = options_.field_manager;
  // The ConfigMap first: a Job whose volume is missing would sit in ContainerCreating.
  Result<Json> config = client_.Create(kube::ConfigMapsResource(), ns, objects.config_map, write);
  if (!config.ok() && config.status().code() != Status::Code::kAlreadyExists) {
    return config.status().WithContext("creating ConfigMap " + ns + "/" +
                                       kube::NameOf(objects.config_map));
  }
  Result<Json> job = client_.Create(kube::JobsResource(), ns, objects.job, write);
  if (!job.ok() && job.status().code() != Status::Code::kAlreadyExists) {
    return job.status().WithContext("creating Job " + ns + "/" + kube::NameOf(objects.job));
  }
  return job.ok();
}

Status Reconciler::WriteStatus(const std::string& ns, const std::string& name, const Json& cached,
                               const Json& status_json, int64_t generation) {
  const kube::ResourceRef ref = ModelVersionRef(ns, name);
  kube::WriteOptions write;
  write.field_manager = options_.field_manager;
  Json body = cached;
  for (int attempt = 0;; ++attempt) {
    body["status"] = status_json;
    Result<Json> written = client_.UpdateStatus(ref, body, write);
    if (written.ok()) return Status::Ok();
    if (written.status().code() != Status::Code::kConflict ||
        attempt >= options_.status_conflict_retries) {
      return written.status().WithContext("writing status of ModelVersion " + ns + "/" + name);
    }
    Result<Json> fresh = client_.Get(ref);
    if (!fresh.ok()) return fresh.status();
    if ((*fresh)["metadata"].value("generation", int64_t{0}) != generation ||
        kube::UidOf(*fresh) != kube::UidOf(cached)) {
      // The spec changed meanwhile: this status describes an old generation. The watch
      // event of the change brings the object back to the queue.
      return Status::Ok();
    }
    body = std::move(fresh).value();
  }
}

}  // namespace modelgate::op
