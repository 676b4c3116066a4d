// Controller: runs the Reconciler the way controller-runtime runs a reconciler. Informers
// fill the caches (ModelVersions, validation Jobs and their pods, ModelGatePolicies,
// Namespaces) and turn every change into the key of the ModelVersion it concerns; workers
// take keys from a rate-limited work queue, one key never on two workers at once. With
// leader election only the leader's workers run, and losing the Lease ends Run so the
// process restarts as a follower (what controller-runtime does).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/status.h"
#include "kube/client.h"
#include "kube/clock.h"
#include "kube/informer.h"
#include "kube/leader_election.h"
#include "kube/stop_signal.h"
#include "kube/work_queue.h"
#include "operator/controller_metrics.h"
#include "operator/event_sink.h"
#include "operator/reconciler.h"

namespace modelgate::op {

struct ControllerOptions {
  std::string watch_namespace;  // "" watches every namespace
  int workers = 2;              // >= 1
  ReconcilerOptions reconciler;
  // Set: reconcile only while holding this Lease.
  std::optional<kube::LeaderElectionConfig> leader_election;
  // How long to wait for the caches to fill before giving up.
  std::chrono::seconds cache_sync_timeout{120};
};

class Controller {
 public:
  // REQUIRES: client, clock, events and metrics outlive the controller.
  Controller(kube::Client& client, const kube::Clock& clock, EventSink& events,
             ControllerOptions options, ControllerMetrics& metrics);
  ~Controller();

  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  // Starts the informers, waits for their caches, then reconciles (as leader, when leader
  // election is on) until `stop`. Returns OK after a stop, DeadlineExceeded when the caches
  // did not sync in time, Unavailable when leadership was lost.
  Status Run(const kube::StopSignal& stop);

  // True once every cache has synced (for /readyz).
  bool Synced() const { return synced_.load(); }

  // True while this replica reconciles.
  bool Leading() const { return leading_.load(); }

 private:
  void Enqueue(const kube::Json& object);
  // A Job event: ends its slot reservation, wakes the ModelVersions waiting for a slot when
  // `slot_freed`, and enqueues the Job's owner.
  void OnJob(const kube::Json& job, bool slot_freed);
  void EnqueueOwner(const kube::Json& object);
  void EnqueueAll();
  // Runs the workers until `stop`, then drains them.
  void RunWorkers(const kube::StopSignal& stop);
  void Work();

  kube::Client& client_;
  const kube::Clock& clock_;
  EventSink& events_;
  const ControllerOptions options_;
  ControllerMetrics& metrics_;
  std::unique_ptr<kube::Informer> model_versions_;
  std::unique_ptr<kube::Informer> jobs_;
  std::unique_ptr<kube::Informer> pods_;
  std::unique_ptr<kube::Informer> policies_;
  std::unique_ptr<kube::Informer> namespaces_;
  std::unique_ptr<Reconciler> reconciler_;
  std::unique_ptr<kube::WorkQueue> queue_;
  std::atomic<bool> synced_{false};
  std::atomic<bool> leading_{false};
};

// An EventSink that writes events.k8s.io Events through a kube::EventRecorder and logs
// the ones that could not be written.
class RecorderEventSink final : public EventSink {
 public:
  explicit RecorderEventSink(kube::EventRecorder& recorder) : recorder_(recorder) {}
  void Record(const nlohmann::json& regarding, kube::EventType type, const std::string& reason,
              const std::string& note) override;

 private:
  kube::EventRecorder& recorder_;
};

}  // namespace modelgate::op
