#include "gates/category_counts.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace modelgate::gates {

CategoryCounts::CategoryCounts(const CategoryCounts& other)
    : max_categories_(other.max_categories_),
      overflowed_(other.overflowed_),
      counts_(other.counts_) {}

CategoryCounts& CategoryCounts::operator=(const CategoryCounts& other) {
  if (this != &other) {
    max_categories_ = other.max_categories_;
    overflowed_ = other.overflowed_;
    counts_ = other.counts_;
    ClearCache();
  }
  return *this;
}

CategoryCounts::CategoryCounts(CategoryCounts&& other) noexcept
    : max_categories_(other.max_categories_),
      overflowed_(other.overflowed_),
      counts_(std::move(other.counts_)) {
  other.ClearCache();
}

CategoryCounts& CategoryCounts::operator=(CategoryCounts&& other) noexcept {
  if (this != &other) {
    max_categories_ = other.max_categories_;
    overflowed_ = other.overflowed_;
    counts_ = std::move(other.counts_);
    ClearCache();
    other.ClearCache();
  }
  return *this;
}

namespace {

std::uint64_t Load64(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

std::uint64_t Load32(const char* p) {
  std::uint32_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

}  // namespace

CategoryCounts::Fingerprint CategoryCounts::FingerprintOf(std::string_view value) {
  // Fixed-size loads only: head and tail overlap for short values, which is harmless since
  // the length is part of the fingerprint.
  const char* p = value.data();
  const std::size_t n = value.size();
  Fingerprint f;
  f.size = n;
  if (n >= 8) {
    f.head = Load64(p);
    f.tail = Load64(p + n - 8);
  } else if (n >= 4) {
    f.head = Load32(p) | Load32(p + n - 4) << 32;
  } else if (n > 0) {
    const auto byte = [p](std::size_t i) {
      return std::uint64_t{static_cast<unsigned char>(p[i])};
    };
    f.head = byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16;
  }
  return f;
}

std::size_t CategoryCounts::CacheIndex(const Fingerprint& f) {
  const std::uint64_t mixed =
      (f.head ^ (f.tail * 0x9E3779B97F4A7C15ULL) ^ f.size) * 0xBF58476D1CE4E5B9ULL;
  return static_cast<std::size_t>(mixed >> 58);  // 64 slots
}

void CategoryCounts::Add(std::string_view value) {
  if (overflowed_) return;
  const Fingerprint f = FingerprintOf(value);
  CacheSlot& slot = cache_[CacheIndex(f)];
  if (slot.count != nullptr && slot.fingerprint.size == f.size && slot.fingerprint.head == f.head &&
      slot.fingerprint.tail == f.tail && (f.size <= 16 || *slot.value == value)) {
    ++*slot.count;
    return;
  }
  auto it = counts_.find(value);
  if (it == counts_.end()) {
    if (counts_.size() == max_categories_) {
      overflowed_ = true;
      counts_.clear();
      ClearCache();
      return;
    }
    it = counts_.emplace(std::string(value), 0).first;
  }
  ++it->second;
  slot = {f, &it->first, &it->second};
}

}  // namespace modelgate::gates
