// ColumnProfile and DatasetProfile: everything the data gate needs from a dataset, gathered
// in one streaming pass with memory that does not grow with the row count.
//
// Per column: row and null counts, whether every non-null value is a finite number, the
// first value that is not, min/max/mean/variance, the numeric distribution (every value
// while there are few, a QuantileSketch beyond), and category counts up to a bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/status.h"
#include "gates/category_counts.h"
#include "gates/dataset.h"
#include "gates/empirical_distribution.h"
#include "gates/quantile_sketch.h"
#include "gates/running_moments.h"

namespace modelgate::gates {

struct ProfileOptions {
  // Columns with at most this many numeric values keep them all (exact statistics, exact
  // KS p-values); larger ones switch to the sketch.
  std::size_t exact_value_limit = 100000;
  // Category counting stops (the column is "high-cardinality") past this many distinct values.
  std::size_t max_categories = 1000;
  std::uint32_t sketch_k = 512;
  // Threads that account values (ProfileDataset): 0 picks the CPUs the process may use, at
  // most 4 (parallel_profile.h); 1 reads and accounts in the calling thread. The profile is
  // the same for every count.
  int threads = 0;
};

class ColumnProfile {
 public:
  explicit ColumnProfile(const ProfileOptions& options = {});

  // Accounts one value (an empty view is null). `row` is used to remember where the first
  // non-numeric value was seen.
  void Add(std::string_view value, std::int64_t row);

  std::int64_t rows() const { return rows_; }
  std::int64_t nulls() const { return nulls_; }
  std::int64_t non_null() const { return rows_ - nulls_; }
  // nulls / rows, or 0 for an empty column.
  double null_rate() const;

  // True when there is at least one value and every non-null value is a finite number.
  bool numeric() const { return numeric_count_ > 0 && non_numeric_ == 0; }
  std::int64_t numeric_count() const { return numeric_count_; }
  std::int64_t non_numeric_count() const { return non_numeric_; }
  // The first value that is not a number and its 1-based data row, if any.
  const std::string& first_non_numeric() const { return first_non_numeric_; }
  std::int64_t first_non_numeric_row() const { return first_non_numeric_row_; }
  // "file:line" of that value when the reader could say (set by ProfileDataset).
  const std::string& first_non_numeric_position() const { return first_non_numeric_position_; }
  void set_first_non_numeric_position(std::string position) {
    first_non_numeric_position_ = std::move(position);
  }

  // Over the numeric values. REQUIRES: numeric_count() > 0.
  double min() const { return min_; }
  double max() const { return max_; }
  double mean() const { return moments_.mean(); }
  // Population standard deviation (numpy.std, ddof=0).
  double population_std() const;

  // The numeric values' distribution: exact while within the limit, sketched beyond.
  EmpiricalDistribution NumericDistribution() const;
  bool exact() const { return exact_; }

  // Counts per distinct raw value (non-null), unless there were too many to count.
  bool categories_overflowed() const { return categories_.overflowed(); }
  const CategoryMap& categories() const { return categories_.map(); }

 private:
  ProfileOptions options_;
  std::int64_t rows_ = 0;
  std::int64_t nulls_ = 0;
  std::int64_t numeric_count_ = 0;
  std::int64_t non_numeric_ = 0;
  std::string first_non_numeric_;
  std::int64_t first_non_numeric_row_ = 0;
  std::string first_non_numeric_position_;
  double min_ = 0, max_ = 0;
  RunningMoments moments_;
  bool exact_ = true;
  std::vector<double> values_;
  QuantileSketch sketch_;
  CategoryCounts categories_;
};

struct DatasetProfile {
  std::string name;                     // file path or URL, for messages
  std::vector<std::string> columns;     // in file order
  std::vector<ColumnProfile> profiles;  // parallel to columns
  std::int64_t rows = 0;

  // The profile of `column`, or nullptr.
  const ColumnProfile* Find(std::string_view column) const;
};

// Reads every row of `source` once. With options.threads other than 1, the calling thread
// reads while worker threads account the columns (parallel_profile.h). Returns the reader's
// error (with file:line:column).
Result<DatasetProfile> ProfileDataset(RowSource& source, const std::string& name,
                                      const ProfileOptions& options = {});

}  // namespace modelgate::gates
