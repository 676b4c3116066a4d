// Controller: runs the Reconciler the way controller-runtime runs a reconciler. Informers
// fill the caches (ModelVersions, validation Jobs and their pods, ModelGatePolicies,
// Namespaces) and turn every change into the key of the ModelVersion it concerns; workers
// take keys from a rate-limited work queue, one key never on two workers at once. With
// leader election only the leader's workers run, and losing the Lease ends Run so the
// process restarts as a follower (what controller-runtime does).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
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
  void OnJob(const kube::Json& job, bool deleted);
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

// An EventSink that writes events.k8s.io Events through a kube::EventRecorder on writer
// threads of its own, as client-go's event broadcaster does: Events are best effort, and a
// reconcile that waited for its Event would spend one more API round trip per transition.
// At most `capacity` Events wait; more are dropped and logged. Events that could not be
// written are logged.
class RecorderEventSink final : public EventSink {
 public:
  // How long the destructor keeps writing the Events still waiting before dropping them.
  static constexpr std::chrono::seconds kFlushTimeout{5};

  // REQUIRES: recorder outlives the sink; writers >= 1; capacity >= 1.
  explicit RecorderEventSink(kube::EventRecorder& recorder, int writers = 4,
                             size_t capacity = 1000);
  // Writes the Events still waiting (for up to kFlushTimeout), then joins the writers.
  ~RecorderEventSink() override;

  RecorderEventSink(const RecorderEventSink&) = delete;
  RecorderEventSink& operator=(const RecorderEventSink&) = delete;

  // Queues the Event and returns at once.
  void Record(const nlohmann::json& regarding, kube::EventType type, const std::string& reason,
              const std::string& note) override;

  // Events dropped so far because `capacity` were waiting or the flush timed out.
  uint64_t dropped() const;

 private:
  struct PendingEvent {
    nlohmann::json regarding;
    kube::EventType type;
    std::string reason;
    std::string note;
  };
  void Write();

  kube::EventRecorder& recorder_;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<PendingEvent> pending_;                      // guarded by mu_
  bool stopping_ = false;                                 // guarded by mu_
  std::chrono::steady_clock::time_point flush_deadline_;  // guarded by mu_
  uint64_t dropped_ = 0;                                  // guarded by mu_
  std::vector<std::thread> writers_;
};

}  // namespace modelgate::op
