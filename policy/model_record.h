// What an admission decision knows about one ModelVersion, kept compactly. The webhook holds
// one per ModelVersion in the cluster, so its size is the webhook's memory: a whole
// ModelVersion struct is over 1.6 KiB before its strings and maps, a record about 1 KiB with
// them. Metric names are interned: every model reports the same few dozen.
#pragma once

#include <cstdint>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/model_version.h"
#include "api/timestamp.h"

namespace modelgate::policy {

// A metric name ("auc", "driftScore.mean_radius") interned for the life of the process: equal
// names share one string. Names come from the operator's status writes (at most 64 per gate),
// so the table holds the distinct names seen in the cluster.
class MetricName {
 public:
  // The interned `name`. Thread-safe.
  static MetricName Of(std::string_view name);

  std::string_view view() const { return *name_; }
  bool operator==(const MetricName& other) const { return name_ == other.name_; }

 private:
  explicit MetricName(const std::string* name) : name_(name) {}
  const std::string* name_;
};

// Its strings and vectors take their memory from `resource` given at construction: the
// catalog keeps its records in a pool of their own, apart from the short-lived JSON that list
// pages and watch events are decoded from. Mixed in one heap, every page of records would keep
// pages of freed JSON resident around it.
struct ModelRecord {
  struct Metric {
    MetricName name;
    double value;
  };
  struct Gate {
    GateName name = GateName::kData;
    GatePhase phase = GatePhase::kPending;
    uint16_t metrics_begin = 0;  // this gate's metrics are metrics[metrics_begin, metrics_end)
    uint16_t metrics_end = 0;
    std::pmr::string message;
  };

  explicit ModelRecord(std::pmr::memory_resource* resource = std::pmr::get_default_resource());
  // A copy whose memory comes from `resource`.
  ModelRecord(const ModelRecord& other, std::pmr::memory_resource* resource);
  ModelRecord(ModelRecord&&) = default;
  ModelRecord& operator=(ModelRecord&&) = default;

  // The record of `mv`: metadata namespace, name and generation; spec.artifact uri and digest;
  // status phase, observedGeneration, validatedDigest, validatedAt and per gate its name, phase,
  // message and metrics.
  static ModelRecord From(const ModelVersion& mv,
                          std::pmr::memory_resource* resource = std::pmr::get_default_resource());

  std::string_view ns() const { return std::string_view(key).substr(0, name_at - 1); }
  std::string_view name() const { return std::string_view(key).substr(name_at); }
  // "ns/name": the catalog's key.
  std::pmr::string key;
  uint32_t name_at = 0;  // where the name starts in `key`

  int64_t generation = 0;
  std::pmr::string artifact_uri;
  bool has_artifact_digest = false;
  std::pmr::string artifact_digest;  // meaningful when has_artifact_digest

  std::optional<ModelVersionPhase> phase;
  int64_t observed_generation = 0;
  std::optional<Timestamp> validated_at;
  std::pmr::vector<Gate> gates;
  std::pmr::vector<Metric> metrics;  // of all gates, each gate's together

  // status.validatedDigest; most often equal to spec.artifact.digest, and then not stored twice.
  std::string_view validated_digest() const {
    return validated_digest_is_artifact_digest ? std::string_view(artifact_digest)
                                               : std::string_view(other_validated_digest);
  }
  bool validated_digest_is_artifact_digest = false;
  std::pmr::string other_validated_digest;

  // The gate `gate`, or nullptr when the status has none.
  const Gate* FindGate(GateName gate) const;
  // The value of metric `metric` of `gate` (one of `gates`), or nullptr when not reported.
  const double* FindMetric(const Gate& gate, std::string_view metric) const;
};

}  // namespace modelgate::policy
