#include "gates/column_profile.h"

#include <algorithm>
#include <cmath>

#include "gates/parallel_profile.h"

namespace modelgate::gates {

ColumnProfile::ColumnProfile(const ProfileOptions& options)
    : options_(options), sketch_(options.sketch_k), categories_(options.max_categories) {}

void ColumnProfile::Add(std::string_view value, std::int64_t row) {
  ++rows_;
  if (IsNullValue(value)) {
    ++nulls_;
    return;
  }
  categories_.Add(value);
  if (non_numeric_ > 0) return;  // the column is not numeric; numbers no longer matter
  double x;
  if (!ParseFiniteDouble(value, &x)) {
    ++non_numeric_;
    first_non_numeric_ = std::string(value.substr(0, 64));
    first_non_numeric_row_ = row;
    return;
  }
  ++numeric_count_;
  if (numeric_count_ == 1) {
    min_ = max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  moments_.Add(x);
  if (exact_) {
    values_.push_back(x);
    if (values_.size() > options_.exact_value_limit) {
      for (double v : values_) sketch_.Add(v);
      values_.clear();
      values_.shrink_to_fit();
      exact_ = false;
    }
  } else {
    sketch_.Add(x);
  }
}

double ColumnProfile::null_rate() const {
  return rows_ == 0 ? 0.0 : static_cast<double>(nulls_) / static_cast<double>(rows_);
}

double ColumnProfile::population_std() const { return std::sqrt(moments_.population_variance()); }

EmpiricalDistribution ColumnProfile::NumericDistribution() const {
  return exact_ ? EmpiricalDistribution::FromValues(values_) : sketch_.ToDistribution();
}

const ColumnProfile* DatasetProfile::Find(std::string_view column) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == column) return &profiles[i];
  }
  return nullptr;
}

Result<DatasetProfile> ProfileDataset(RowSource& source, const std::string& name,
                                      const ProfileOptions& options) {
  if (const int workers = ProfileThreads(options); workers > 1) {
    return ProfileDatasetInParallel(source, name, options, workers);
  }
  DatasetProfile profile;
  profile.name = name;
  profile.columns = source.column_names();
  profile.profiles.assign(profile.columns.size(), ColumnProfile(options));
  std::vector<std::string_view> fields;
  while (true) {
    Result<bool> got = source.NextRow(&fields);
    if (!got.ok()) return got.status();
    if (!*got) break;
    ++profile.rows;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      ColumnProfile& column = profile.profiles[i];
      column.Add(fields[i], profile.rows);
      if (column.non_numeric_count() == 1 && column.first_non_numeric_position().empty()) {
        column.set_first_non_numeric_position(source.Position());
      }
    }
  }
  return profile;
}

}  // namespace modelgate::gates
