#include "policy/model_record.h"

#include <memory>
#include <mutex>
#include <unordered_set>

namespace modelgate::policy {

std::string_view NormalizeArtifactUri(std::string_view uri) {
  while (uri.size() > 1 && uri.back() == '/') uri.remove_suffix(1);
  return uri;
}

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
    : text_(resource), gates_(resource), metrics_(resource) {}

ModelRecord::ModelRecord(const ModelRecord& other, std::pmr::memory_resource* resource)
    : generation(other.generation),
      phase(other.phase),
      observed_generation(other.observed_generation),
      validated_at(other.validated_at),
      text_(other.text_, resource),
      name_at_(other.name_at_),
      uri_at_(other.uri_at_),
      digest_at_(other.digest_at_),
      other_digest_at_(other.other_digest_at_),
      messages_at_(other.messages_at_),
      has_artifact_digest_(other.has_artifact_digest_),
      validated_digest_is_artifact_digest_(other.validated_digest_is_artifact_digest_),
      gates_(other.gates_, resource),
      metrics_(other.metrics_, resource) {}

const double* ModelRecord::FindMetric(const Gate& gate, std::string_view metric) const {
  for (size_t i = gate.metrics_begin; i < gate.metrics_end; ++i) {
    if (metrics_[i].name.view() == metric) return &metrics_[i].value;
  }
  return nullptr;
}

const ModelRecord::Gate* ModelRecord::FindGate(GateName gate) const {
  for (const Gate& g : gates_) {
    if (g.name == gate) return &g;
  }
  return nullptr;
}

ModelRecord ModelRecord::From(const ModelVersion& mv, std::pmr::memory_resource* resource) {
  ModelRecord r(resource);
  const ModelVersionStatus& status = mv.status;
  const std::string_view uri = NormalizeArtifactUri(mv.spec.artifact.uri);
  const std::string_view digest =
      mv.spec.artifact.digest ? std::string_view(*mv.spec.artifact.digest) : std::string_view();
  r.has_artifact_digest_ = mv.spec.artifact.digest.has_value();
  r.validated_digest_is_artifact_digest_ =
      r.has_artifact_digest_ && digest == status.validated_digest;
  const std::string_view other_digest = r.validated_digest_is_artifact_digest_
                                            ? std::string_view()
                                            : std::string_view(status.validated_digest);
  size_t size = mv.metadata.namespace_.size() + 1 + mv.metadata.name.size() + uri.size() +
                digest.size() + other_digest.size();
  for (const GateStatus& g : status.gates) size += g.message.size();
  r.text_.reserve(size);
  r.text_.append(mv.metadata.namespace_).append("/");
  r.name_at_ = static_cast<uint32_t>(r.text_.size());
  r.text_.append(mv.metadata.name);
  r.uri_at_ = static_cast<uint32_t>(r.text_.size());
  r.text_.append(uri);
  r.digest_at_ = static_cast<uint32_t>(r.text_.size());
  r.text_.append(digest);
  r.other_digest_at_ = static_cast<uint32_t>(r.text_.size());
  r.text_.append(other_digest);
  r.messages_at_ = static_cast<uint32_t>(r.text_.size());

  r.generation = mv.metadata.generation;
  r.phase = status.phase;
  r.observed_generation = status.observed_generation;
  r.validated_at = status.validated_at;
  size_t metric_count = 0;
  for (const GateStatus& g : status.gates) metric_count += g.metrics.size();
  r.gates_.reserve(status.gates.size());
  r.metrics_.reserve(metric_count);
  for (const GateStatus& g : status.gates) {
    Gate gate;
    gate.name = g.name;
    gate.phase = g.phase;
    gate.message_at = static_cast<uint32_t>(r.text_.size());
    gate.message_size = static_cast<uint32_t>(g.message.size());
    r.text_.append(g.message);
    // A status holds at most 64 metrics per gate (the operator's limit) and four gates.
    gate.metrics_begin = static_cast<uint16_t>(r.metrics_.size());
    for (const auto& [name, value] : g.metrics) {
      if (r.metrics_.size() == UINT16_MAX) break;
      r.metrics_.push_back({MetricName::Of(name), value});
    }
    gate.metrics_end = static_cast<uint16_t>(r.metrics_.size());
    r.gates_.push_back(gate);
  }
  return r;
}

}  // namespace modelgate::policy
