#include "kube/leader_election.h"

#include <spdlog/spdlog.h>

#include <random>
#include <thread>

#include "kube/time_format.h"

namespace modelgate::kube {
namespace {

// client-go's JitterFactor for the retry period.
constexpr double kJitterFactor = 1.2;

std::string HolderOf(const Json& spec) {
  auto it = spec.find("holderIdentity");
  return it != spec.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

Status ValidateLeaderElectionConfig(const LeaderElectionConfig& config) {
  if (config.lease_name.empty()) return Status::InvalidArgument("leaderElection.leaseName: empty");
  if (config.lease_namespace.empty()) {
    return Status::InvalidArgument("leaderElection.leaseNamespace: empty");
  }
  if (config.identity.empty()) return Status::InvalidArgument("leaderElection.identity: empty");
  if (config.lease_duration <= config.renew_deadline) {
    return Status::InvalidArgument(
        "leaderElection.leaseDuration must be greater than renewDeadline");
  }
  if (std::chrono::duration<double>(config.renew_deadline).count() <=
      kJitterFactor * std::chrono::duration<double>(config.retry_period).count()) {
    return Status::InvalidArgument(
        "leaderElection.renewDeadline must be greater than retryPeriod*1.2");
  }
  if (config.retry_period <= std::chrono::seconds(0)) {
    return Status::InvalidArgument("leaderElection.retryPeriod must be positive");
  }
  return Status::Ok();
}

LeaderElector::LeaderElector(Client& client, const Clock& clock, LeaderElectionConfig config,
                             LeaderCallbacks callbacks)
    : client_(client),
      clock_(clock),
      config_(std::move(config)),
      callbacks_(std::move(callbacks)) {}

bool LeaderElector::IsLeader() const {
  std::lock_guard<std::mutex> guard(mu_);
  return leader_;
}

std::string LeaderElector::observed_holder() const {
  std::lock_guard<std::mutex> guard(mu_);
  return HolderOf(observed_spec_);
}

Json LeaderElector::NewLeaseSpec(const Json* previous) const {
  std::string now = FormatMicroTime(clock_.WallNow());
  Json spec = {{"holderIdentity", config_.identity},
               {"leaseDurationSeconds", config_.lease_duration.count()},
               {"acquireTime", now},
               {"renewTime", now},
               {"leaseTransitions", 0}};
  if (previous != nullptr && previous->is_object()) {
    int transitions = previous->value("leaseTransitions", 0);
    if (HolderOf(*previous) == config_.identity) {
      if (previous->contains("acquireTime")) spec["acquireTime"] = (*previous)["acquireTime"];
      spec["leaseTransitions"] = transitions;
    } else {
      spec["leaseTransitions"] = transitions + 1;
    }
  }
  return spec;
}

bool LeaderElector::TryAcquireOrRenew() {
  ResourceRef ref{LeasesResource(), config_.lease_namespace, config_.lease_name};
  Result<Json> current = client_.Get(ref);
  if (!current.ok() && current.status().code() != Status::Code::kNotFound) {
    spdlog::warn("msg=\"reading the leader lease failed\" lease={}/{} error=\"{}\"",
                 config_.lease_namespace, config_.lease_name, current.status().ToString());
    return false;
  }
  if (!current.ok()) {
    Json lease = {
        {"apiVersion", "coordination.k8s.io/v1"},
        {"kind", "Lease"},
        {"metadata", {{"name", config_.lease_name}, {"namespace", config_.lease_namespace}}},
        {"spec", NewLeaseSpec(nullptr)}};
    Result<Json> created = client_.Create(LeasesResource(), config_.lease_namespace, lease);
    if (!created.ok()) return false;
    std::lock_guard<std::mutex> guard(mu_);
    observed_spec_ = (*created)["spec"];
    observed_resource_version_ = ResourceVersionOf(*created);
    observed_at_ = clock_.Now();
    leader_ = true;
    return true;
  }
  Json spec = current->contains("spec") ? (*current)["spec"] : Json::object();
  std::string holder = HolderOf(spec);
  {
    std::lock_guard<std::mutex> guard(mu_);
    if (spec != observed_spec_) {
      // Expiry is measured from when *we* saw the record change, on our monotonic clock,
      // so clock skew between replicas does not matter.
      observed_spec_ = spec;
      observed_resource_version_ = ResourceVersionOf(*current);
      observed_at_ = clock_.Now();
    }
    int64_t duration = spec.value("leaseDurationSeconds", config_.lease_duration.count());
    if (!holder.empty() && holder != config_.identity &&
        observed_at_ + std::chrono::seconds(duration) > clock_.Now()) {
      leader_ = false;
      return false;
    }
  }
  Json lease = *current;
  lease["spec"] = NewLeaseSpec(&spec);
  Result<Json> updated = client_.Update(ref, lease);
  if (!updated.ok()) {
    if (updated.status().code() != Status::Code::kConflict) {
      spdlog::warn("msg=\"writing the leader lease failed\" lease={}/{} error=\"{}\"",
                   config_.lease_namespace, config_.lease_name, updated.status().ToString());
    }
    return false;
  }
  std::lock_guard<std::mutex> guard(mu_);
  observed_spec_ = (*updated)["spec"];
  observed_resource_version_ = ResourceVersionOf(*updated);
  observed_at_ = clock_.Now();
  leader_ = true;
  return true;
}

Status LeaderElector::Release() {
  ResourceRef ref{LeasesResource(), config_.lease_namespace, config_.lease_name};
  Result<Json> current = client_.Get(ref);
  if (!current.ok()) return current.status();
  if (!current->contains("spec") || HolderOf((*current)["spec"]) != config_.identity) {
    return Status::Ok();
  }
  Json lease = *current;
  std::string now = FormatMicroTime(clock_.WallNow());
  lease["spec"]["holderIdentity"] = "";
  lease["spec"]["leaseDurationSeconds"] = 1;
  lease["spec"]["renewTime"] = now;
  lease["spec"]["acquireTime"] = now;
  Result<Json> updated = client_.Update(ref, lease);
  std::lock_guard<std::mutex> guard(mu_);
  leader_ = false;
  if (!updated.ok()) return updated.status();
  observed_spec_ = (*updated)["spec"];
  observed_at_ = clock_.Now();
  return Status::Ok();
}

Status LeaderElector::Run(const StopSignal& stop) {
  std::mt19937_64 rng(std::hash<std::string>{}(config_.identity));
  std::uniform_real_distribution<double> jitter(0.0, kJitterFactor);
  auto jittered = [&] {
    return config_.retry_period +
           std::chrono::duration_cast<Clock::Duration>(config_.retry_period * jitter(rng));
  };
  std::string last_holder = "\x01";
  auto notice_holder = [&] {
    std::string holder = observed_holder();
    if (holder != last_holder) {
      last_holder = holder;
      if (holder != config_.identity) {
        spdlog::info("msg=\"leader observed\" lease={}/{} holder=\"{}\"", config_.lease_namespace,
                     config_.lease_name, holder);
        if (callbacks_.on_new_leader) callbacks_.on_new_leader(holder);
      }
    }
  };

  // Acquire.
  while (!stop.stopped()) {
    if (TryAcquireOrRenew()) break;
    notice_holder();
    stop.WaitUntil(clock_, clock_.Now() + jittered());
  }
  if (stop.stopped()) return Status::Ok();
  spdlog::info("msg=\"became leader\" lease={}/{} identity={}", config_.lease_namespace,
               config_.lease_name, config_.identity);

  StopSignal leading;
  std::thread work;
  if (callbacks_.on_started_leading) {
    work = std::thread([&] {
      try {
        callbacks_.on_started_leading(leading);
      } catch (const std::exception& e) {
        spdlog::error("msg=\"leader work threw\" error=\"{}\"", e.what());
      }
    });
  }

  // Renew every retry period; give up when no renewal succeeded within the renew deadline.
  bool lost = false;
  Clock::TimePoint last_renew = clock_.Now();
  while (!stop.stopped()) {
    if (stop.WaitUntil(clock_, clock_.Now() + config_.retry_period)) break;
    if (TryAcquireOrRenew()) {
      last_renew = clock_.Now();
      continue;
    }
    if (clock_.Now() - last_renew >= config_.renew_deadline ||
        observed_holder() != config_.identity) {
      lost = true;
      break;
    }
  }
  leading.Stop();
  if (work.joinable()) work.join();
  if (lost) {
    std::lock_guard<std::mutex> guard(mu_);
    leader_ = false;
  }
  if (!lost && config_.release_on_stop) {
    Status released = Release();
    if (!released.ok()) {
      spdlog::warn("msg=\"releasing the leader lease failed\" error=\"{}\"", released.ToString());
    }
  }
  spdlog::info("msg=\"stopped leading\" lease={}/{} identity={} lost={}", config_.lease_namespace,
               config_.lease_name, config_.identity, lost);
  if (callbacks_.on_stopped_leading) callbacks_.on_stopped_leading();
  if (lost)
    return Status::Unavailable("leader election lost for lease " + config_.lease_namespace + "/" +
                               config_.lease_name);
  return Status::Ok();
}

}  // namespace modelgate::kube
