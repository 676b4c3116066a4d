#include "operator/controller_metrics.h"

#include <cstdio>

namespace modelgate::op {
namespace {

std::string Number(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%.9g", value);
  return buffer;
}

void Gauge(std::string& out, const char* name, const char* help,
           const std::function<double()>& source) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + " " +
         Number(source ? source() : 0) + "\n";
}

}  // namespace

void ControllerMetrics::ObserveReconcile(std::chrono::nanoseconds duration, bool error) {
  const double seconds = std::chrono::duration<double>(duration).count();
  std::lock_guard<std::mutex> lock(mu_);
  ++reconciles_;
  if (error) ++errors_;
  ++duration_count_;
  duration_sum_ += seconds;
  for (size_t i = 0; i < kDurationBuckets.size(); ++i) {
    if (seconds <= kDurationBuckets[i]) {
      ++buckets_[i];
      break;
    }
  }
}

void ControllerMetrics::ObserveGateOutcome(GateName gate, GatePhase outcome) {
  std::lock_guard<std::mutex> lock(mu_);
  ++outcomes_[{gate, outcome}];
}

void ControllerMetrics::SetQueueDepth(std::function<double()> source) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_depth_ = std::move(source);
}

void ControllerMetrics::SetRunningJobs(std::function<double()> source) {
  std::lock_guard<std::mutex> lock(mu_);
  running_jobs_ = std::move(source);
}

void ControllerMetrics::SetLeader(std::function<double()> source) {
  std::lock_guard<std::mutex> lock(mu_);
  leader_ = std::move(source);
}

std::string ControllerMetrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out +=
      "# HELP modelgate_reconciles_total ModelVersion reconciles.\n"
      "# TYPE modelgate_reconciles_total counter\n"
      "modelgate_reconciles_total " +
      std::to_string(reconciles_) + "\n";
  out +=
      "# HELP modelgate_reconcile_errors_total Reconciles that ended in an error.\n"
      "# TYPE modelgate_reconcile_errors_total counter\n"
      "modelgate_reconcile_errors_total " +
      std::to_string(errors_) + "\n";
  out +=
      "# HELP modelgate_reconcile_duration_seconds Time to reconcile one ModelVersion.\n"
      "# TYPE modelgate_reconcile_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kDurationBuckets.size(); ++i) {
    cumulative += buckets_[i];
    out += "modelgate_reconcile_duration_seconds_bucket{le=\"" + Number(kDurationBuckets[i]) +
           "\"} " + std::to_string(cumulative) + "\n";
  }
  out += "modelgate_reconcile_duration_seconds_bucket{le=\"+Inf\"} " +
         std::to_string(duration_count_) + "\n";
  out += "modelgate_reconcile_duration_seconds_sum " + Number(duration_sum_) + "\n";
  out += "modelgate_reconcile_duration_seconds_count " + std::to_string(duration_count_) + "\n";
  out +=
      "# HELP modelgate_gate_outcomes_total Gates that finished, by gate and outcome.\n"
      "# TYPE modelgate_gate_outcomes_total counter\n";
  for (GateName gate : kAllGates) {
    for (GatePhase phase : {GatePhase::kPassed, GatePhase::kFailed, GatePhase::kError}) {
      auto it = outcomes_.find({gate, phase});
      out += std::string("modelgate_gate_outcomes_total{gate=\"") + ToString(gate) +
             "\",outcome=\"" + ToString(phase) + "\"} " +
             std::to_string(it == outcomes_.end() ? 0 : it->second) + "\n";
    }
  }
  Gauge(out, "modelgate_workqueue_depth", "ModelVersions waiting to be reconciled.", queue_depth_);
  Gauge(out, "modelgate_validation_jobs_running", "Validation Jobs running across the cluster.",
        running_jobs_);
  Gauge(out, "modelgate_leader", "1 when this replica is the leader.", leader_);
  return out;
}

}  // namespace modelgate::op
