// RadixSortDoubles: sorts doubles in linear time, for the quantile sketch's level 0, which is
// sorted once per compaction and was the data gate's largest cost with std::sort.
#pragma once

#include <cstdint>
#include <vector>

namespace modelgate::gates {

// Sorts `values` ascending (as std::sort with operator< does; -0.0 sorts before 0.0, which
// compare equal) by an LSD radix sort on order-preserving 64-bit keys, skipping the byte
// positions where every key agrees. `scratch` is working memory the caller may reuse across
// calls to avoid allocations. REQUIRES: no NaN in `values`.
void RadixSortDoubles(std::vector<double>* values, std::vector<std::uint64_t>* scratch);

}  // namespace modelgate::gates
