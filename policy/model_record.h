// What an admission decision knows about one ModelVersion, kept compactly. The webhook holds
// one per ModelVersion in the cluster, so its size is the webhook's memory: a whole
// ModelVersion struct is over 1.6 KiB before its strings and maps, a record about 1 KiB with
// them. Metric names are interned: every model reports the same few dozen.
#pragma once

#include <cstdint>
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

struct ModelRecord {
  struct Metric {
    MetricName name;
    double value;
  };
  struct Gate {
    GateName name = GateName::kData;
    GatePhase phase = GatePhase::kPending;
    std::string message;
    std::vector<Metric> metrics;

    // The value of metric `metric`, or nullptr when the gate did not report it.
    const double* FindMetric(std::string_view metric) const;
  };

  // The record of `mv`: metadata namespace, name and generation; spec.artifact uri and digest;
  // status phase, observedGeneration, validatedDigest, validatedAt and per gate its name, phase,
  // message and metrics.
  static ModelRecord From(const ModelVersion& mv);

  std::string_view ns() const { return std::string_view(key).substr(0, name_at - 1); }
  std::string_view name() const { return std::string_view(key).substr(name_at); }
  // "ns/name": the catalog's key.
  std::string key;
  uint32_t name_at = 0;  // where the name starts in `key`

  int64_t generation = 0;
  std::string artifact_uri;
  std::optional<std::string> artifact_digest;

  std::optional<ModelVersionPhase> phase;
  int64_t observed_generation = 0;
  std::optional<Timestamp> validated_at;
  std::vector<Gate> gates;

  // status.validatedDigest; most often equal to spec.artifact.digest, and then not stored twice.
  std::string_view validated_digest() const {
    return validated_digest_is_artifact_digest ? std::string_view(*artifact_digest)
                                               : std::string_view(other_validated_digest);
  }
  bool validated_digest_is_artifact_digest = false;
  std::string other_validated_digest;

  // The gate `gate`, or nullptr when the status has none.
  const Gate* FindGate(GateName gate) const;
};

}  // namespace modelgate::policy
