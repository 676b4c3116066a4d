#include "gates/radix_sort.h"

#include <array>
#include <bit>
#include <cstddef>
#include <utility>

namespace modelgate::gates {
namespace {

constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;

// Maps a double to an unsigned key with the same order: flip every bit of a negative number
// (so larger magnitudes sort lower) and only the sign bit of a positive one.
std::uint64_t Key(double value) {
  const auto bits = std::bit_cast<std::uint64_t>(value);
  return (bits & kSignBit) != 0 ? ~bits : bits | kSignBit;
}

double Value(std::uint64_t key) {
  return std::bit_cast<double>((key & kSignBit) != 0 ? key & ~kSignBit : ~key);
}

}  // namespace

void RadixSortDoubles(std::vector<double>* values, std::vector<std::uint64_t>* scratch) {
  const std::size_t n = values->size();
  if (n < 2) return;
  scratch->resize(2 * n);
  std::uint64_t* keys = scratch->data();
  std::uint64_t* other = keys + n;
  // One pass builds the histogram of every byte position.
  std::array<std::array<std::size_t, 256>, 8> counts{};
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t key = Key((*values)[i]);
    keys[i] = key;
    for (int b = 0; b < 8; ++b) ++counts[b][(key >> (8 * b)) & 0xFF];
  }
  for (int b = 0; b < 8; ++b) {
    const int shift = 8 * b;
    std::array<std::size_t, 256>& count = counts[b];
    if (count[(keys[0] >> shift) & 0xFF] == n) continue;  // every key has this byte
    std::size_t offset = 0;
    for (std::size_t& c : count) offset += std::exchange(c, offset);
    for (std::size_t i = 0; i < n; ++i) other[count[(keys[i] >> shift) & 0xFF]++] = keys[i];
    std::swap(keys, other);
  }
  for (std::size_t i = 0; i < n; ++i) (*values)[i] = Value(keys[i]);
}

}  // namespace modelgate::gates
