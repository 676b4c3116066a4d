// LeaderElector: one active replica through a coordination.k8s.io/v1 Lease, with
// client-go's semantics and default durations.
//
// A candidate takes the Lease when it is free or its holder has not renewed it for
// leaseDurationSeconds (measured on the local monotonic clock from when this candidate
// last saw the record change, so clock skew between nodes does not matter). The leader
// renews every retry period; if it cannot renew within the renew deadline it stops
// leading. On shutdown the leader releases the Lease (holderIdentity cleared) so a
// successor need not wait out the lease duration.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "api/status.h"
#include "kube/client.h"
#include "kube/clock.h"
#include "kube/stop_signal.h"

namespace modelgate::kube {

struct LeaderElectionConfig {
  std::string lease_namespace;
  std::string lease_name;
  std::string identity;  // unique per replica: pod name + a random suffix
  std::chrono::seconds lease_duration{15};
  std::chrono::seconds renew_deadline{10};
  std::chrono::seconds retry_period{2};
  bool release_on_stop = true;
};

struct LeaderCallbacks {
  // Called on a new thread when this replica becomes leader; `stop` is stopped when
  // leadership ends. The elector waits for it to return before it releases the Lease.
  std::function<void(const StopSignal& stop)> on_started_leading;
  // Called when leadership ends (lost, or released on stop).
  std::function<void()> on_stopped_leading;
  // Called when a different holder is observed (may be empty for "no holder").
  std::function<void(const std::string& identity)> on_new_leader;
};

// REQUIRES: lease_duration > renew_deadline > retry_period * 1.2 (client-go's JitterFactor),
// identity, lease_name and lease_namespace non-empty. InvalidArgument naming the field.
Status ValidateLeaderElectionConfig(const LeaderElectionConfig& config);

class LeaderElector {
 public:
  // REQUIRES: client and clock outlive the elector; ValidateLeaderElectionConfig(config).ok().
  LeaderElector(Client& client, const Clock& clock, LeaderElectionConfig config,
                LeaderCallbacks callbacks);

  // Acquires, leads and renews until `stop` is stopped or leadership is lost, then releases.
  // Returns OK after a stop, Unavailable when leadership was lost.
  Status Run(const StopSignal& stop);

  // One attempt to create, take over or renew the Lease. Returns true when this replica
  // holds it afterwards. Exposed for tests; Run loops over it.
  bool TryAcquireOrRenew();

  // Clears holderIdentity if this replica holds the Lease. Returns the write's status.
  Status Release();

  bool IsLeader() const;

  // The holder last observed ("" when none).
  std::string observed_holder() const;

 private:
  Json NewLeaseSpec(const Json* previous) const;

  Client& client_;
  const Clock& clock_;
  const LeaderElectionConfig config_;
  const LeaderCallbacks callbacks_;
  mutable std::mutex mu_;
  Json observed_spec_;                     // guarded by mu_
  std::string observed_resource_version_;  // guarded by mu_
  Clock::TimePoint observed_at_{};         // guarded by mu_
  bool leader_ = false;                    // guarded by mu_
};

}  // namespace modelgate::kube
