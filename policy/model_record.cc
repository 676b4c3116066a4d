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

ModelRecord::ModelRecord(std::pmr::memory_resource* resource)
    : key(resource),
      artifact_uri(resource),
      artifact_digest(resource),
      gates(resource),
      metrics(resource),
      other_validated_digest(resource) {}

ModelRecord::ModelRecord(const ModelRecord& other, std::pmr::memory_resource* resource)
    : key(other.key, resource),
      name_at(other.name_at),
      generation(other.generation),
      artifact_uri(other.artifact_uri, resource),
      has_artifact_digest(other.has_artifact_digest),
      artifact_digest(other.artifact_digest, resource),
      phase(other.phase),
      observed_generation(other.observed_generation),
      validated_at(other.validated_at),
      gates(resource),
      metrics(other.metrics.begin(), other.metrics.end(), resource),
      validated_digest_is_artifact_digest(other.validated_digest_is_artifact_digest),
      other_validated_digest(other.other_validated_digest, resource) {
  gates.reserve(other.gates.size());
  for (const Gate& g : other.gates) {
    gates.push_back({g.name, g.phase, g.metrics_begin, g.metrics_end,
                     std::pmr::string(g.message, resource)});
  }
}

const double* ModelRecord::FindMetric(const Gate& gate, std::string_view metric) const {
  for (size_t i = gate.metrics_begin; i < gate.metrics_end; ++i) {
    if (metrics[i].name.view() == metric) return &metrics[i].value;
  }
  return nullptr;
}

const ModelRecord::Gate* ModelRecord::FindGate(GateName gate) const {
  for (const Gate& g : gates) {
    if (g.name == gate) return &g;
  }
  return nullptr;
}

ModelRecord ModelRecord::From(const ModelVersion& mv, std::pmr::memory_resource* resource) {
  ModelRecord r(resource);
  r.key.reserve(mv.metadata.namespace_.size() + 1 + mv.metadata.name.size());
  r.key.append(mv.metadata.namespace_).append("/").append(mv.metadata.name);
  r.name_at = static_cast<uint32_t>(mv.metadata.namespace_.size() + 1);
  r.generation = mv.metadata.generation;
  r.artifact_uri = mv.spec.artifact.uri;
  r.has_artifact_digest = mv.spec.artifact.digest.has_value();
  if (r.has_artifact_digest) r.artifact_digest = *mv.spec.artifact.digest;
  const ModelVersionStatus& status = mv.status;
  r.phase = status.phase;
  r.observed_generation = status.observed_generation;
  r.validated_at = status.validated_at;
  if (r.has_artifact_digest && std::string_view(r.artifact_digest) == status.validated_digest) {
    r.validated_digest_is_artifact_digest = true;
  } else {
    r.other_validated_digest = status.validated_digest;
  }
  size_t metric_count = 0;
  for (const GateStatus& g : status.gates) metric_count += g.metrics.size();
  r.gates.reserve(status.gates.size());
  r.metrics.reserve(metric_count);
  for (const GateStatus& g : status.gates) {
    Gate gate{g.name, g.phase, 0, 0, std::pmr::string(g.message, resource)};
    // A status holds at most 64 metrics per gate (the operator's limit) and four gates.
    gate.metrics_begin = static_cast<uint16_t>(r.metrics.size());
    for (const auto& [name, value] : g.metrics) {
      if (r.metrics.size() == UINT16_MAX) break;
      r.metrics.push_back({MetricName::Of(name), value});
    }
    gate.metrics_end = static_cast<uint16_t>(r.metrics.size());
    r.gates.push_back(std::move(gate));
  }
  return r;
}

}  // namespace modelgate::policy
