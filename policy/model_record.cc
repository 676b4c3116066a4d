#include "policy/model_record.h"

#include <array>
#include <atomic>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace modelgate::policy {
namespace {

constexpr std::string_view kSha256Prefix = "sha256:";
constexpr size_t kSha256Bytes = 32;
constexpr char kHexDigits[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case too: its text would not survive the round trip
}

// The 32 bytes of "sha256:<64 lowercase hex digits>", or false for any other digest.
bool Sha256Bytes(std::string_view digest, std::array<char, kSha256Bytes>& out) {
  if (digest.size() != kSha256Prefix.size() + 2 * kSha256Bytes ||
      digest.substr(0, kSha256Prefix.size()) != kSha256Prefix) {
    return false;
  }
  digest.remove_prefix(kSha256Prefix.size());
  for (size_t i = 0; i < kSha256Bytes; ++i) {
    const int high = HexValue(digest[2 * i]);
    const int low = HexValue(digest[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<char>(high << 4 | low);
  }
  return true;
}

std::string Sha256Text(std::string_view bytes) {
  std::string text(kSha256Prefix);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    text.push_back(kHexDigits[b >> 4]);
    text.push_back(kHexDigits[b & 15]);
  }
  return text;
}

// The interned names: a map from name to id for Of, and a table from id to name that readers
// use without the lock (a slot is written once, before its id is handed out). The table is
// two-level so that it takes memory in proportion to the names interned.
struct NameTable {
  static constexpr size_t kChunk = 256;
  using Chunk = std::array<std::atomic<const std::string*>, kChunk>;

  std::mutex mu;
  std::unordered_map<std::string, uint16_t> ids;  // node-based: key addresses stay valid
  std::array<std::atomic<Chunk*>, (MetricName::kOverflow + kChunk) / kChunk> chunks{};
};

NameTable& Names() {
  static NameTable* const table = new NameTable();  // never destroyed: names outlive records
  return *table;
}

size_t AlignUp(size_t n, size_t alignment) { return (n + alignment - 1) / alignment * alignment; }

}  // namespace

std::string_view NormalizeArtifactUri(std::string_view uri) {
  while (uri.size() > 1 && uri.back() == '/') uri.remove_suffix(1);
  return uri;
}

MetricName MetricName::Of(std::string_view name) {
  NameTable& table = Names();
  std::lock_guard<std::mutex> lock(table.mu);
  if (auto it = table.ids.find(std::string(name)); it != table.ids.end()) {
    return MetricName(it->second);
  }
  const size_t next = table.ids.size();
  if (next >= kOverflow) return MetricName(kOverflow);
  auto [it, inserted] = table.ids.emplace(std::string(name), static_cast<uint16_t>(next));
  std::atomic<NameTable::Chunk*>& chunk = table.chunks[next / NameTable::kChunk];
  if (chunk.load(std::memory_order_relaxed) == nullptr) {
    chunk.store(new NameTable::Chunk{}, std::memory_order_release);
  }
  (*chunk.load(std::memory_order_relaxed))[next % NameTable::kChunk].store(
      &it->first, std::memory_order_release);
  return MetricName(it->second);
}

std::string_view MetricName::view() const {
  if (id_ == kOverflow) return {};
  const NameTable::Chunk* chunk =
      Names().chunks[id_ / NameTable::kChunk].load(std::memory_order_acquire);
  if (chunk == nullptr) return {};
  const std::string* name = (*chunk)[id_ % NameTable::kChunk].load(std::memory_order_acquire);
  return name == nullptr ? std::string_view() : std::string_view(*name);
}

ModelRecord::ModelRecord(const ModelRecord& other, std::pmr::memory_resource* resource)
    : generation(other.generation),
      phase(other.phase),
      observed_generation(other.observed_generation),
      validated_at(other.validated_at),
      resource_(resource),
      size_(other.size_),
      gates_at_(other.gates_at_),
      names_at_(other.names_at_),
      text_at_(other.text_at_),
      name_at_(other.name_at_),
      uri_at_(other.uri_at_),
      digest_at_(other.digest_at_),
      other_digest_at_(other.other_digest_at_),
      messages_at_(other.messages_at_),
      metric_count_(other.metric_count_),
      gate_count_(other.gate_count_),
      flags_(other.flags_) {
  if (size_ > 0) {
    data_ = static_cast<std::byte*>(resource_->allocate(size_, alignof(double)));
    std::memcpy(data_, other.data_, size_);
  }
}

ModelRecord::ModelRecord(ModelRecord&& other) noexcept
    : generation(other.generation),
      phase(other.phase),
      observed_generation(other.observed_generation),
      validated_at(other.validated_at),
      resource_(other.resource_),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      gates_at_(other.gates_at_),
      names_at_(other.names_at_),
      text_at_(other.text_at_),
      name_at_(other.name_at_),
      uri_at_(other.uri_at_),
      digest_at_(other.digest_at_),
      other_digest_at_(other.other_digest_at_),
      messages_at_(other.messages_at_),
      metric_count_(std::exchange(other.metric_count_, 0)),
      gate_count_(std::exchange(other.gate_count_, 0)),
      flags_(std::exchange(other.flags_, 0)) {
  other.gates_at_ = other.names_at_ = other.text_at_ = 0;
  other.name_at_ = other.uri_at_ = other.digest_at_ = other.other_digest_at_ = 0;
  other.messages_at_ = 0;
}

ModelRecord& ModelRecord::operator=(ModelRecord&& other) noexcept {
  if (this != &other) {
    this->~ModelRecord();
    new (this) ModelRecord(std::move(other));
  }
  return *this;
}

ModelRecord::~ModelRecord() { Release(); }

void ModelRecord::Release() {
  if (data_ != nullptr) resource_->deallocate(data_, size_, alignof(double));
  data_ = nullptr;
  size_ = 0;
}

std::string ModelRecord::artifact_digest() const {
  const std::string_view stored = Text(digest_at_, other_digest_at_);
  return (flags_ & kArtifactDigestIsSha256Bytes) ? Sha256Text(stored) : std::string(stored);
}

std::string ModelRecord::validated_digest() const {
  return validated_digest_is_artifact_digest() ? artifact_digest()
                                               : std::string(Text(other_digest_at_, messages_at_));
}

bool ModelRecord::has_validated_digest() const {
  return validated_digest_is_artifact_digest() ? digest_at_ != other_digest_at_
                                               : other_digest_at_ != messages_at_;
}

const double* ModelRecord::FindMetric(const Gate& gate, std::string_view metric) const {
  const uint16_t* ids = NameIds();
  for (size_t i = gate.metrics_begin; i < gate.metrics_end; ++i) {
    if (ids[i] == MetricName::kOverflow) continue;
    if (MetricName::FromId(ids[i]).view() == metric) return &Values()[i];
  }
  return nullptr;
}

const ModelRecord::Gate* ModelRecord::FindGate(GateName gate) const {
  for (const Gate& g : gates()) {
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
  const bool has_digest = mv.spec.artifact.digest.has_value();
  const bool same_digest = has_digest && digest == status.validated_digest;
  std::array<char, kSha256Bytes> digest_bytes;
  const bool digest_as_bytes = Sha256Bytes(digest, digest_bytes);
  const std::string_view stored_digest =
      digest_as_bytes ? std::string_view(digest_bytes.data(), digest_bytes.size()) : digest;
  const std::string_view other_digest =
      same_digest ? std::string_view() : std::string_view(status.validated_digest);
  r.flags_ = (has_digest ? kHasArtifactDigest : 0) |
             (same_digest ? kValidatedDigestIsArtifactDigest : 0) |
             (digest_as_bytes ? kArtifactDigestIsSha256Bytes : 0);

  // A status holds at most 64 metrics per gate (the operator's limit) and four gates; a
  // record keeps at most 255 gates and 65,535 metrics whatever it is given.
  const size_t gate_count = std::min<size_t>(status.gates.size(), UINT8_MAX);
  size_t metric_count = 0;
  size_t text_size = mv.metadata.namespace_.size() + 1 + mv.metadata.name.size() + uri.size() +
                     stored_digest.size() + other_digest.size();
  for (size_t g = 0; g < gate_count; ++g) {
    metric_count += status.gates[g].metrics.size();
    text_size += status.gates[g].message.size();
  }
  metric_count = std::min<size_t>(metric_count, UINT16_MAX);
  r.gate_count_ = static_cast<uint8_t>(gate_count);
  r.metric_count_ = static_cast<uint16_t>(metric_count);
  r.gates_at_ = static_cast<uint32_t>(metric_count * sizeof(double));
  r.names_at_ = static_cast<uint32_t>(AlignUp(r.gates_at_ + gate_count * sizeof(Gate), 2));
  r.text_at_ = static_cast<uint32_t>(r.names_at_ + metric_count * sizeof(uint16_t));
  r.size_ = static_cast<uint32_t>(r.text_at_ + text_size);
  if (r.size_ == 0) return r;
  r.data_ = static_cast<std::byte*>(resource->allocate(r.size_, alignof(double)));

  char* const text = reinterpret_cast<char*>(r.data_ + r.text_at_);
  size_t at = 0;
  auto append = [&](std::string_view s) {
    if (!s.empty()) std::memcpy(text + at, s.data(), s.size());
    at += s.size();
    return static_cast<uint32_t>(at);
  };
  append(mv.metadata.namespace_);
  r.name_at_ = append("/");
  r.uri_at_ = append(mv.metadata.name);
  r.digest_at_ = append(uri);
  r.other_digest_at_ = append(stored_digest);
  r.messages_at_ = append(other_digest);

  r.generation = mv.metadata.generation;
  r.phase = status.phase;
  r.observed_generation = status.observed_generation;
  r.validated_at = status.validated_at;
  auto* values = reinterpret_cast<double*>(r.data_);
  auto* gates = reinterpret_cast<Gate*>(r.data_ + r.gates_at_);
  auto* ids = reinterpret_cast<uint16_t*>(r.data_ + r.names_at_);
  size_t metric = 0;
  for (size_t g = 0; g < gate_count; ++g) {
    const GateStatus& source = status.gates[g];
    Gate gate;
    gate.name = source.name;
    gate.phase = source.phase;
    gate.message_at = static_cast<uint32_t>(at);
    gate.message_size = static_cast<uint32_t>(source.message.size());
    append(source.message);
    gate.metrics_begin = static_cast<uint16_t>(metric);
    for (const auto& [name, value] : source.metrics) {
      if (metric == metric_count) break;
      values[metric] = value;
      ids[metric] = MetricName::Of(name).id();
      ++metric;
    }
    gate.metrics_end = static_cast<uint16_t>(metric);
    new (&gates[g]) Gate(gate);
  }
  return r;
}

}  // namespace modelgate::policy
