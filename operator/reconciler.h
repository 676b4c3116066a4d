// Reconciler: level-based, idempotent reconcile of one ModelVersion. It reads the world from
// the informer caches, computes where validation stands (gate_progress.h), and converges:
// deletes Jobs of stale runs (old generation or revalidate token) with their ConfigMaps,
// creates the next gate's ConfigMap and Job, writes status through the status subresource
// with conflict retries, and reports every transition as an Event.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "api/status.h"
#include "kube/client.h"
#include "kube/clock.h"
#include "kube/store.h"
#include "operator/event_sink.h"
#include "operator/job_slots.h"
#include "operator/validation_job.h"

namespace modelgate::op {

// Index names the caches must have (see AddCacheIndexes).
inline constexpr char kControllerUidIndex[] = "controller-uid";

// The informer caches the reconciler reads. Jobs and pods are indexed by kControllerUidIndex
// (kube::IndexByControllerUid): a ModelVersion's Jobs by its uid, a Job's pods by the Job's.
struct Caches {
  const kube::Store& model_versions;
  const kube::Store& jobs;
  const kube::Store& pods;
  const kube::Store& policies;
  const kube::Store& namespaces;
};

// Adds kControllerUidIndex to a store. REQUIRES: the store is empty.
Status AddControllerIndex(kube::Store& store);

struct ReconcilerOptions {
  ValidationJobOptions job;
  int max_concurrent_jobs = 10;
  // When the Job cap is reached, look again after this long. A finished or deleted Job wakes
  // the ModelVersions waiting for its slot at once; this is the safety net (for a woken one
  // that no longer needed the slot), long enough that thousands of waiting ModelVersions cost
  // little.
  std::chrono::seconds slot_retry{300};
  int status_conflict_retries = 5;
  std::string field_manager = "modelgate-operator";
};

// What one reconcile observed, for metrics.
struct ReconcileReport {
  Status status;                                      // non-OK: requeue with backoff
  std::optional<std::chrono::seconds> requeue_after;  // OK but look again later
  // Gates that reached Passed, Failed or Error in this reconcile.
  std::map<GateName, GatePhase> finished_gates;
};

class Reconciler {
 public:
  // REQUIRES: every argument outlives the reconciler; options.max_concurrent_jobs >= 1.
  Reconciler(kube::Client& client, Caches caches, const kube::Clock& clock, EventSink& events,
             ReconcilerOptions options);

  // Reconciles the ModelVersion under `key` ("namespace/name"). Safe to call from several
  // threads for different keys (the work queue never hands out one key twice at once).
  ReconcileReport Reconcile(const std::string& key);

  // Validation Jobs running now across the cluster.
  int RunningJobs() { return slots_.Running(); }

  // The cap on running validation Jobs, for the Job informer's events (JobSlots::Observed,
  // TakeWaitersForFreeSlots).
  JobSlots& slots() { return slots_; }

 private:
  // Creates the ConfigMap and the Job. Returns true when the Job is new, false when it
  // already existed (a reconcile ahead of the informer, or a restarted operator).
  Result<bool> CreateJob(const ValidationJobObjects& objects);
  Status WriteStatus(const std::string& ns, const std::string& name, const Json& cached,
                     const Json& status_json, int64_t generation);

  kube::Client& client_;
  Caches caches_;
  const kube::Clock& clock_;
  EventSink& events_;
  const ReconcilerOptions options_;
  JobSlots slots_;
};

}  // namespace modelgate::op
