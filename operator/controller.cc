#include "operator/controller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <span>
#include <thread>

#include "operator/job_outcome.h"
#include "operator/validation_job.h"

namespace modelgate::op {
namespace {

std::string ManagedBySelector() { return std::string(kManagedByLabel) + "=" + kManagedByValue; }

// What the caches keep. The reconciler reads the metadata and status of Jobs and pods, and of
// a Job's spec only activeDeadlineSeconds: the pod template and the pod spec, most of their
// bytes, are dropped before they are stored. Every cache drops the bookkeeping of apply.
void KeepJobFields(kube::Json& job) {
  kube::DropApplyBookkeeping(job);
  if (auto spec = job.find("spec"); spec != job.end() && spec->is_object()) {
    spec->erase("template");
  }
}

void KeepPodFields(kube::Json& pod) {
  kube::DropApplyBookkeeping(pod);
  pod.erase("spec");
}

// The same, for list pages as they are parsed (the transforms still apply to watch events).
bool KeepJobField(std::span<const std::string> path) {
  return kube::KeepAllButApplyBookkeeping(path) &&
         !(path.size() >= 2 && path[0] == "spec" && path[1] == "template");
}

bool KeepPodField(std::span<const std::string> path) {
  return kube::KeepAllButApplyBookkeeping(path) && path[0] != "spec";
}

kube::ReflectorOptions Transformed(std::function<void(kube::Json&)> transform,
                                   kube::ItemFieldFilter keep_item_field,
                                   std::string label_selector = "") {
  kube::ReflectorOptions options;
  options.label_selector = std::move(label_selector);
  options.transform = std::move(transform);
  options.keep_item_field = std::move(keep_item_field);
  // Thousands of ModelVersions, Jobs or Pods must not arrive as one list body at start-up;
  // each page is encoded into the cache as it arrives, so the page size bounds the JSON held
  // at once (a hundred 5 KB ModelVersions parse to about 5 MB, before the filter leaves out
  // what the transform would drop).
  options.paged_lists = true;
  options.page_size = 100;
  return options;
}

}  // namespace

RecorderEventSink::RecorderEventSink(kube::EventRecorder& recorder, int writers, size_t capacity)
    : recorder_(recorder), capacity_(std::max<size_t>(1, capacity)) {
  for (int i = 0; i < std::max(1, writers); ++i) writers_.emplace_back([this] { Write(); });
}

RecorderEventSink::~RecorderEventSink() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    flush_deadline_ = std::chrono::steady_clock::now() + kFlushTimeout;
  }
  ready_.notify_all();
  for (std::thread& writer : writers_) writer.join();
}

void RecorderEventSink::Record(const nlohmann::json& regarding, kube::EventType type,
                               const std::string& reason, const std::string& note) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (pending_.size() >= capacity_) {
      ++dropped_;
      spdlog::warn("event=event_dropped namespace={} name={} reason={} waiting={}",
                   kube::NamespaceOf(regarding), kube::NameOf(regarding), reason, pending_.size());
      return;
    }
    pending_.push_back({regarding, type, reason, note});
  }
  ready_.notify_one();
}

uint64_t RecorderEventSink::dropped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}

void RecorderEventSink::Write() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    ready_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) return;  // stopping, and nothing left to write
    if (stopping_ && std::chrono::steady_clock::now() > flush_deadline_) {
      dropped_ += pending_.size();
      spdlog::warn("event=events_dropped_at_shutdown count={}", pending_.size());
      pending_.clear();
      return;
    }
    PendingEvent event = std::move(pending_.front());
    pending_.pop_front();
    lock.unlock();
    Status status =
        recorder_.Record(event.regarding, event.type, event.reason, "Validate", event.note);
    if (!status.ok()) {
      spdlog::warn("event=event_not_recorded namespace={} name={} reason={} error=\"{}\"",
                   kube::NamespaceOf(event.regarding), kube::NameOf(event.regarding), event.reason,
                   status.message());
    }
    lock.lock();
  }
}

Controller::Controller(kube::Client& client, const kube::Clock& clock, EventSink& events,
                       ControllerOptions options, ControllerMetrics& metrics)
    : client_(client),
      clock_(clock),
      events_(events),
      options_(std::move(options)),
      metrics_(metrics) {
  const std::string& ns = options_.watch_namespace;
  // ModelVersions are the one cache that grows with the cluster's models (tens of thousands),
  // Jobs and their pods with the validations under way (thousands), and a reconcile reads a
  // few objects of each: they are kept compressed, decoded when read.
  model_versions_ = std::make_unique<kube::Informer>(
      client_, kube::ModelVersionsResource(), ns, clock_,
      Transformed(kube::DropApplyBookkeeping, kube::KeepAllButApplyBookkeeping),
      kube::StoreEncoding::kDeflated);
  jobs_ = std::make_unique<kube::Informer>(
      client_, kube::JobsResource(), ns, clock_,
      Transformed(KeepJobFields, KeepJobField, ManagedBySelector()),
      kube::StoreEncoding::kDeflated);
  pods_ = std::make_unique<kube::Informer>(
      client_, kube::PodsResource(), ns, clock_,
      Transformed(KeepPodFields, KeepPodField, ManagedBySelector()),
      kube::StoreEncoding::kDeflated);
  policies_ = std::make_unique<kube::Informer>(
      client_, kube::ModelGatePoliciesResource(), "", clock_,
      Transformed(kube::DropApplyBookkeeping, kube::KeepAllButApplyBookkeeping));
  namespaces_ = std::make_unique<kube::Informer>(
      client_, kube::NamespacesResource(), "", clock_,
      Transformed(kube::DropApplyBookkeeping, kube::KeepAllButApplyBookkeeping));
  for (kube::Informer* informer : {jobs_.get(), pods_.get()}) {
    Status indexed = informer->AddIndex(kControllerUidIndex, kube::IndexByControllerUid());
    if (!indexed.ok()) spdlog::error("event=index_failed error=\"{}\"", indexed.message());
  }

  model_versions_->AddEventHandlers({[this](const kube::Json& o) { Enqueue(o); },
                                     [this](const kube::Json&, const kube::Json& o) { Enqueue(o); },
                                     [this](const kube::Json& o) { Enqueue(o); }});
  jobs_->AddEventHandlers(
      {[this](const kube::Json& o) { OnJob(o, /*deleted=*/false); },
       [this](const kube::Json&, const kube::Json& o) { OnJob(o, /*deleted=*/false); },
       [this](const kube::Json& o) { OnJob(o, /*deleted=*/true); }});
  pods_->AddEventHandlers({[this](const kube::Json& o) { EnqueueOwner(o); },
                           [this](const kube::Json&, const kube::Json& o) { EnqueueOwner(o); },
                           [this](const kube::Json& o) { EnqueueOwner(o); }});
  // A policy or namespace label change can change any ModelVersion's effective gates.
  for (kube::Informer* informer : {policies_.get(), namespaces_.get()}) {
    informer->AddEventHandlers({[this](const kube::Json&) { EnqueueAll(); },
                                [this](const kube::Json&, const kube::Json&) { EnqueueAll(); },
                                [this](const kube::Json&) { EnqueueAll(); }});
  }

  queue_ = std::make_unique<kube::WorkQueue>(clock_);
  reconciler_ =
      std::make_unique<Reconciler>(client_,
                                   Caches{model_versions_->store(), jobs_->store(), pods_->store(),
                                          policies_->store(), namespaces_->store()},
                                   clock_, events_, options_.reconciler);
  metrics_.SetQueueDepth([this] { return static_cast<double>(queue_->Len()); });
  metrics_.SetRunningJobs([this] { return static_cast<double>(reconciler_->RunningJobs()); });
  metrics_.SetLeader([this] { return leading_.load() ? 1.0 : 0.0; });
}

Controller::~Controller() {
  queue_->ShutDown();
  for (kube::Informer* informer :
       {model_versions_.get(), jobs_.get(), pods_.get(), policies_.get(), namespaces_.get()}) {
    informer->Stop();
  }
  metrics_.SetQueueDepth(nullptr);
  metrics_.SetRunningJobs(nullptr);
  metrics_.SetLeader(nullptr);
}

void Controller::Enqueue(const kube::Json& object) { queue_->Add(kube::KeyOf(object)); }

void Controller::OnJob(const kube::Json& job, bool deleted) {
  reconciler_->slots().Observed(kube::KeyOf(job), deleted ? nullptr : &job);
  // A finished or deleted Job frees a slot: whoever waits for one tries again now rather
  // than at its next retry.
  if (deleted || JobFinished(job)) {
    for (const std::string& key : reconciler_->slots().TakeWaitersForFreeSlots()) {
      queue_->Add(key);
    }
  }
  EnqueueOwner(job);
}

void Controller::EnqueueOwner(const kube::Json& object) {
  // Jobs name their ModelVersion in their controller reference; their pods carry its name in
  // the label the Job template gives them.
  const kube::Json& meta = object.contains("metadata") ? object["metadata"] : object;
  if (meta.contains("ownerReferences") && meta["ownerReferences"].is_array()) {
    for (const kube::Json& ref : meta["ownerReferences"]) {
      if (ref.value("kind", "") == kModelVersionKind && ref.value("controller", false)) {
        queue_->Add(kube::ObjectKey(kube::NamespaceOf(object), ref.value("name", "")));
        return;
      }
    }
  }
  if (meta.contains("labels") && meta["labels"].contains(kModelVersionLabel)) {
    const kube::Json& name = meta["labels"][kModelVersionLabel];
    if (name.is_string()) {
      queue_->Add(kube::ObjectKey(kube::NamespaceOf(object), name.get<std::string>()));
    }
  }
}

void Controller::EnqueueAll() {
  for (const std::string& key : model_versions_->store().ListKeys()) queue_->Add(key);
}

Status Controller::Run(const kube::StopSignal& stop) {
  for (kube::Informer* informer :
       {model_versions_.get(), jobs_.get(), pods_.get(), policies_.get(), namespaces_.get()}) {
    informer->Start();
  }
  const kube::Clock::TimePoint deadline = clock_.Now() + options_.cache_sync_timeout;
  for (kube::Informer* informer :
       {model_versions_.get(), jobs_.get(), pods_.get(), policies_.get(), namespaces_.get()}) {
    if (!informer->WaitForSync(stop, deadline)) {
      if (stop.stopped()) return Status::Ok();
      return Status::DeadlineExceeded("caches did not sync within " +
                                      std::to_string(options_.cache_sync_timeout.count()) + "s");
    }
  }
  synced_ = true;
  spdlog::info("event=caches_synced model_versions={}", model_versions_->store().Size());

  if (!options_.leader_election) {
    RunWorkers(stop);
    return Status::Ok();
  }
  kube::LeaderCallbacks callbacks;
  callbacks.on_started_leading = [this](const kube::StopSignal& leading) {
    spdlog::info("event=leader_elected identity={}", options_.leader_election->identity);
    RunWorkers(leading);
  };
  callbacks.on_stopped_leading = [] { spdlog::info("event=leadership_ended"); };
  callbacks.on_new_leader = [](const std::string& identity) {
    spdlog::info("event=new_leader identity={}", identity);
  };
  kube::LeaderElector elector(client_, clock_, *options_.leader_election, std::move(callbacks));
  return elector.Run(stop);
}

void Controller::RunWorkers(const kube::StopSignal& stop) {
  leading_ = true;
  EnqueueAll();
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, options_.workers); ++i) workers.emplace_back([this] { Work(); });
  stop.Wait();
  leading_ = false;
  // Reconciles in flight finish; nothing new starts.
  queue_->ShutDownWithDrain();
  for (std::thread& worker : workers) worker.join();
}

void Controller::Work() {
  while (std::optional<std::string> key = queue_->Get()) {
    const auto started = std::chrono::steady_clock::now();
    ReconcileReport report;
    try {
      report = reconciler_->Reconcile(*key);
    } catch (const std::exception& e) {
      report.status = Status::Internal(std::string("reconcile threw: ") + e.what());
    }
    metrics_.ObserveReconcile(std::chrono::steady_clock::now() - started, !report.status.ok());
    for (const auto& [gate, phase] : report.finished_gates) {
      metrics_.ObserveGateOutcome(gate, phase);
    }
    if (!report.status.ok()) {
      std::string ns, name;
      kube::SplitObjectKey(*key, &ns, &name);
      spdlog::warn("event=reconcile_error namespace={} name={} error=\"{}\"", ns, name,
                   report.status.ToString());
      queue_->AddRateLimited(*key);
    } else {
      queue_->Forget(*key);
      if (report.requeue_after) queue_->AddAfter(*key, *report.requeue_after);
    }
    queue_->Done(*key);
  }
}

}  // namespace modelgate::op
