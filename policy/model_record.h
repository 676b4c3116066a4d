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

// The form of an artifact URI used for matching: without trailing slashes.
std::string_view NormalizeArtifactUri(std::string_view uri);

// Its memory comes from `resource` given at construction: the catalog keeps its records in a
// pool of their own, apart from the short-lived JSON that list pages and watch events are
// decoded from. Mixed in one heap, every page of records would keep pages of freed JSON
// resident around it. All its strings share one buffer.
class ModelRecord {
 public:
  struct Metric {
    MetricName name;
    double value;
  };
  struct Gate {
    GateName name = GateName::kData;
    GatePhase phase = GatePhase::kPending;
    uint16_t metrics_begin = 0;  // this gate's metrics are metrics()[metrics_begin, metrics_end)
    uint16_t metrics_end = 0;
    uint32_t message_at = 0;  // the message is text_[message_at, message_at + message_size)
    uint32_t message_size = 0;
  };

  explicit ModelRecord(std::pmr::memory_resource* resource = std::pmr::get_default_resource());
  // A copy whose memory comes from `resource`.
  ModelRecord(const ModelRecord& other, std::pmr::memory_resource* resource);
  ModelRecord(ModelRecord&&) = default;
  ModelRecord& operator=(ModelRecord&&) = default;

  // The record of `mv`: metadata namespace, name and generation; spec.artifact uri (without
  // trailing slashes, the form URIs are matched in) and digest; status phase,
  // observedGeneration, validatedDigest, validatedAt and per gate its name, phase, message and
  // metrics.
  static ModelRecord From(const ModelVersion& mv,
                          std::pmr::memory_resource* resource = std::pmr::get_default_resource());

  // "ns/name": the catalog's key.
  std::string_view key() const { return Text(0, uri_at_); }
  std::string_view ns() const { return Text(0, name_at_ - 1); }
  std::string_view name() const { return Text(name_at_, uri_at_); }
  std::string_view artifact_uri() const { return Text(uri_at_, digest_at_); }
  bool has_artifact_digest() const { return has_artifact_digest_; }
  // spec.artifact.digest, "" when it has none.
  std::string_view artifact_digest() const { return Text(digest_at_, other_digest_at_); }
  // status.validatedDigest; most often equal to spec.artifact.digest, and then not stored twice.
  std::string_view validated_digest() const {
    return validated_digest_is_artifact_digest_ ? artifact_digest()
                                                : Text(other_digest_at_, messages_at_);
  }
  bool validated_digest_is_artifact_digest() const { return validated_digest_is_artifact_digest_; }

  const std::pmr::vector<Gate>& gates() const { return gates_; }
  const std::pmr::vector<Metric>& metrics() const { return metrics_; }
  // The gate `gate`, or nullptr when the status has none.
  const Gate* FindGate(GateName gate) const;
  // The value of metric `metric` of `gate` (one of gates()), or nullptr when not reported.
  const double* FindMetric(const Gate& gate, std::string_view metric) const;
  // The message of `gate` (one of gates()).
  std::string_view message(const Gate& gate) const {
    return std::string_view(text_).substr(gate.message_at, gate.message_size);
  }

  // Where this record's memory comes from.
  std::pmr::memory_resource* resource() const { return text_.get_allocator().resource(); }

  int64_t generation = 0;
  std::optional<ModelVersionPhase> phase;
  int64_t observed_generation = 0;
  std::optional<Timestamp> validated_at;

 private:
  std::string_view Text(uint32_t begin, uint32_t end) const {
    return std::string_view(text_).substr(begin, end - begin);
  }

  // key, artifact URI, artifact digest, other validated digest, then the gates' messages.
  std::pmr::string text_;
  uint32_t name_at_ = 0;
  uint32_t uri_at_ = 0;
  uint32_t digest_at_ = 0;
  uint32_t other_digest_at_ = 0;
  uint32_t messages_at_ = 0;
  bool has_artifact_digest_ = false;
  bool validated_digest_is_artifact_digest_ = false;
  std::pmr::vector<Gate> gates_;
  std::pmr::vector<Metric> metrics_;
};

}  // namespace modelgate::policy
