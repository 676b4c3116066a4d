#include "policy/model_record.h"

#include <memory>
#include <mutex>
#include <unordered_set>

namespace modelgate::policy {

MetricName MetricName::Of(std::string_view name) {
  struct Table {
    std::mutex mu;
    std::unordered_set<std::string> names;  // node-based: addresses stay valid
  };
  static Table* const table = new Table();  // never destroyed: names outlive every record
  std::lock_guard<std::mutex> lock(table->mu);
  auto it = table->names.emplace(name).first;
  return MetricName(&*it);
}

const double* ModelRecord::Gate::FindMetric(std::string_view metric) const {
  for (const Metric& m : metrics) {
    if (m.name.view() == metric) return &m.value;
  }
  return nullptr;
}

const ModelRecord::Gate* ModelRecord::FindGate(GateName gate) const {
  for (const Gate& g : gates) {
    if (g.name == gate) return &g;
  }
  return nullptr;
}

ModelRecord ModelRecord::From(const ModelVersion& mv) {
  ModelRecord r;
  r.key.reserve(mv.metadata.namespace_.size() + 1 + mv.metadata.name.size());
  r.key.append(mv.metadata.namespace_).append("/").append(mv.metadata.name);
  r.name_at = static_cast<uint32_t>(mv.metadata.namespace_.size() + 1);
  r.generation = mv.metadata.generation;
  r.artifact_uri = mv.spec.artifact.uri;
  r.artifact_digest = mv.spec.artifact.digest;
  const ModelVersionStatus& status = mv.status;
  r.phase = status.phase;
  r.observed_generation = status.observed_generation;
  r.validated_at = status.validated_at;
  if (r.artifact_digest && *r.artifact_digest == status.validated_digest) {
    r.validated_digest_is_artifact_digest = true;
  } else {
    r.other_validated_digest = status.validated_digest;
  }
  r.gates.reserve(status.gates.size());
  for (const GateStatus& g : status.gates) {
    Gate gate;
    gate.name = g.name;
    gate.phase = g.phase;
    gate.message = g.message;
    gate.metrics.reserve(g.metrics.size());
    for (const auto& [name, value] : g.metrics) {
      gate.metrics.push_back({MetricName::Of(name), value});
    }
    r.gates.push_back(std::move(gate));
  }
  return r;
}

}  // namespace modelgate::policy
