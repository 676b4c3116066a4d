// CategoryCounts: how often each distinct value of a column occurs, up to a bound.
//
// Profiling counts the values of every column until it has too many distinct ones, so most
// values of a categorical or few-valued numeric column are looked up here. A hash map lookup
// (hash the bytes, divide by a prime, walk a bucket) was a fifth of the data gate's time on
// a 1 GB CSV; a small direct-mapped cache of recently counted values, keyed by a cheap hash
// of the value's bytes, answers most lookups with one comparison.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace modelgate::gates {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

using CategoryMap = std::unordered_map<std::string, std::int64_t, StringHash, std::equal_to<>>;

class CategoryCounts {
 public:
  explicit CategoryCounts(std::size_t max_categories) : max_categories_(max_categories) {}
  // Copies and moves start with an empty cache: its entries point into the source's map.
  CategoryCounts(const CategoryCounts& other);
  CategoryCounts& operator=(const CategoryCounts& other);
  CategoryCounts(CategoryCounts&& other) noexcept;
  CategoryCounts& operator=(CategoryCounts&& other) noexcept;

  // Counts one occurrence of `value`. Once more than max_categories distinct values have
  // been seen, forgets every count and counts nothing more.
  void Add(std::string_view value);

  bool overflowed() const { return overflowed_; }
  const CategoryMap& map() const { return counts_; }

 private:
  // A value's length with two words of its bytes: for values of up to 16 bytes they tell
  // values apart without a memcmp; longer ones are compared in full.
  struct Fingerprint {
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
    std::size_t size = 0;
  };
  struct CacheSlot {
    Fingerprint fingerprint;
    const std::string* value = nullptr;  // a key of counts_
    std::int64_t* count = nullptr;       // its count; nullptr: the slot is empty
  };
  static constexpr std::size_t kCacheSlots = 64;
  static Fingerprint FingerprintOf(std::string_view value);
  static std::size_t CacheIndex(const Fingerprint& fingerprint);
  void ClearCache() { cache_.fill(CacheSlot{}); }

  std::size_t max_categories_;
  bool overflowed_ = false;
  CategoryMap counts_;
  std::array<CacheSlot, kCacheSlots> cache_{};
};

}  // namespace modelgate::gates
