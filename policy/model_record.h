// What an admission decision knows about one ModelVersion, kept compactly. The webhook holds
// one per ModelVersion in the cluster, so its size is the webhook's memory: a whole
// ModelVersion struct is over 1.6 KiB before its strings and maps; a record of a passed model
// with four gates and 13 metrics takes about 0.6 KiB with the catalog's indexes. Metric names are
// interned: every model reports the same few dozen.
#pragma once

#include <cstdint>
#include <memory_resource>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "api/model_version.h"
#include "api/timestamp.h"

namespace modelgate::policy {

// A metric name ("auc", "driftScore.mean_radius") interned for the life of the process: equal
// names share one string and one 16-bit id, which is what a record stores per metric. Names
// come from the operator's status writes (at most 64 per gate), so the table holds the
// distinct names seen in the cluster; past 65,535 of them a new name maps to kOverflow, whose
// metrics read as not reported (a floor on one then denies).
class MetricName {
 public:
  static constexpr uint16_t kOverflow = UINT16_MAX;

  // The interned `name`. Thread-safe.
  static MetricName Of(std::string_view name);
  // The name with id `id` (one that Of returned). Thread-safe.
  static MetricName FromId(uint16_t id) { return MetricName(id); }

  // "" for kOverflow.
  std::string_view view() const;
  uint16_t id() const { return id_; }
  bool operator==(const MetricName& other) const { return id_ == other.id_; }

 private:
  explicit MetricName(uint16_t id) : id_(id) {}
  uint16_t id_;
};

// The form of an artifact URI used for matching: without trailing slashes.
std::string_view NormalizeArtifactUri(std::string_view uri);

// Its variable part (gates, metrics, strings) is one block from the memory resource given at
// construction: the catalog keeps its records in a pool of their own, apart from the
// short-lived JSON that list pages and watch events are decoded from. Mixed in one heap,
// every page of records would keep pages of freed JSON resident around it. The block holds,
// in order: the metric values, the gates, the metric name ids, then the text (key, artifact
// URI, artifact digest, a validated digest that differs from it, the gates' messages). A
// "sha256:" digest in lowercase hex is kept as its 32 bytes.
class ModelRecord {
 public:
  struct Gate {
    GateName name = GateName::kData;
    GatePhase phase = GatePhase::kPending;
    uint16_t metrics_begin = 0;  // this gate's metrics are [metrics_begin, metrics_end)
    uint16_t metrics_end = 0;
    uint32_t message_at = 0;  // the message is text[message_at, message_at + message_size)
    uint32_t message_size = 0;
  };

  explicit ModelRecord(std::pmr::memory_resource* resource = std::pmr::get_default_resource())
      : resource_(resource) {}
  // A copy whose memory comes from `resource`.
  ModelRecord(const ModelRecord& other, std::pmr::memory_resource* resource);
  ModelRecord(ModelRecord&& other) noexcept;
  ModelRecord& operator=(ModelRecord&& other) noexcept;
  ~ModelRecord();

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
  bool has_artifact_digest() const { return flags_ & kHasArtifactDigest; }
  // spec.artifact.digest, "" when it has none.
  std::string artifact_digest() const;
  // status.validatedDigest; most often equal to spec.artifact.digest, and then not stored twice.
  std::string validated_digest() const;
  bool validated_digest_is_artifact_digest() const {
    return flags_ & kValidatedDigestIsArtifactDigest;
  }
  // Whether status.validatedDigest is set (not empty).
  bool has_validated_digest() const;

  std::span<const Gate> gates() const {
    return {reinterpret_cast<const Gate*>(data_ + gates_at_), gate_count_};
  }
  size_t metric_count() const { return metric_count_; }
  MetricName metric_name(size_t i) const { return MetricName::FromId(NameIds()[i]); }
  double metric_value(size_t i) const { return Values()[i]; }
  // The gate `gate`, or nullptr when the status has none.
  const Gate* FindGate(GateName gate) const;
  // The value of metric `metric` of `gate` (one of gates()), or nullptr when not reported.
  const double* FindMetric(const Gate& gate, std::string_view metric) const;
  // The message of `gate` (one of gates()).
  std::string_view message(const Gate& gate) const {
    return std::string_view(TextBegin() + gate.message_at, gate.message_size);
  }

  // Where this record's memory comes from.
  std::pmr::memory_resource* resource() const { return resource_; }
  // The bytes of its variable part.
  size_t block_size() const { return size_; }

  int64_t generation = 0;
  std::optional<ModelVersionPhase> phase;
  int64_t observed_generation = 0;
  std::optional<Timestamp> validated_at;

 private:
  enum Flags : uint8_t {
    kHasArtifactDigest = 1,
    kValidatedDigestIsArtifactDigest = 2,
    kArtifactDigestIsSha256Bytes = 4,
  };

  const char* TextBegin() const { return reinterpret_cast<const char*>(data_ + text_at_); }
  std::string_view Text(uint32_t begin, uint32_t end) const {
    return std::string_view(TextBegin() + begin, end - begin);
  }
  const double* Values() const { return reinterpret_cast<const double*>(data_); }
  const uint16_t* NameIds() const { return reinterpret_cast<const uint16_t*>(data_ + names_at_); }
  void Release();

  std::pmr::memory_resource* resource_;
  std::byte* data_ = nullptr;  // owned; size_ bytes from resource_
  uint32_t size_ = 0;
  uint32_t gates_at_ = 0;  // byte offsets into data_
  uint32_t names_at_ = 0;
  uint32_t text_at_ = 0;
  // Offsets into the text.
  uint32_t name_at_ = 0;
  uint32_t uri_at_ = 0;
  uint32_t digest_at_ = 0;
  uint32_t other_digest_at_ = 0;
  uint32_t messages_at_ = 0;
  uint16_t metric_count_ = 0;
  uint8_t gate_count_ = 0;
  uint8_t flags_ = 0;
};

}  // namespace modelgate::policy
