#include "gates/quality_gate_rows.h"

#include <algorithm>
#include <string_view>

namespace modelgate::gates {
namespace {

Result<std::size_t> ColumnIndex(const RowSource& source, const std::string& name,
                                const std::string& column, const char* role) {
  const std::vector<std::string>& columns = source.column_names();
  auto it = std::find(columns.begin(), columns.end(), column);
  if (it == columns.end()) {
    return Status::InvalidArgument(name + ": no column \"" + column + "\" (the schema's " + role +
                                   ")");
  }
  return static_cast<std::size_t>(it - columns.begin());
}

std::string Shown(std::string_view value) {
  constexpr std::size_t kShown = 64;
  std::string out(value.substr(0, kShown));
  if (value.size() > kShown) out += "...";
  return out;
}

}  // namespace

Result<LabeledRows> ReadLabeledRows(RowSource& source, const std::string& name,
                                    const ModelSchema& schema, std::size_t max_rows,
                                    bool stop_at_max_rows) {
  LabeledRows rows;
  rows.source = name;
  std::vector<std::size_t> feature_index;
  for (const FeatureSpec& feature : schema.features) {
    if (feature.type == FeatureType::kImage) {
      return Status::InvalidArgument(name + ": feature \"" + feature.name +
                                     "\" is an image, which a tabular dataset cannot carry");
    }
    Result<std::size_t> index = ColumnIndex(source, name, feature.name, "feature");
    if (!index.ok()) return index.status();
    feature_index.push_back(*index);
    rows.features.columns.push_back(feature.name);
  }
  const std::string target = schema.target.value_or("");
  Result<std::size_t> target_index = ColumnIndex(source, name, target, "target");
  if (!target_index.ok()) return target_index.status();
  const bool regression = schema.task == ModelTask::kRegression;

  std::vector<std::string_view> fields;
  while (true) {
    if (rows.targets.size() >= max_rows && stop_at_max_rows) break;
    Result<bool> more = source.NextRow(&fields);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (rows.targets.size() >= max_rows) {
      return Status::ResourceExhausted(source.Position() + ": more than " +
                                       std::to_string(max_rows) +
                                       " rows, the most the quality gate holds in memory");
    }
    std::vector<FeatureValue> values;
    values.reserve(feature_index.size());
    for (std::size_t f = 0; f < feature_index.size(); ++f) {
      std::string_view cell = fields[feature_index[f]];
      if (IsNullValue(cell)) {
        values.emplace_back(std::monostate{});
      } else if (schema.features[f].type == FeatureType::kNumeric) {
        double number = 0;
        if (!ParseFiniteDouble(cell, &number)) {
          return Status::InvalidArgument(source.Position() + ": column " + schema.features[f].name +
                                         ": \"" + Shown(cell) +
                                         "\" is not a number, and the feature is numeric");
        }
        values.emplace_back(number);
      } else {
        values.emplace_back(std::string(cell));
      }
    }
    std::string_view answer = fields[*target_index];
    if (IsNullValue(answer)) {
      return Status::InvalidArgument(source.Position() + ": column " + target +
                                     ": the target is missing");
    }
    double number = 0;
    if (regression && !ParseFiniteDouble(answer, &number)) {
      return Status::InvalidArgument(source.Position() + ": column " + target + ": \"" +
                                     Shown(answer) +
                                     "\" is not a number, and the task is regression");
    }
    rows.features.rows.push_back(std::move(values));
    rows.targets.emplace_back(answer);
  }
  if (rows.targets.empty()) {
    return Status::InvalidArgument(name + ": no data rows");
  }
  return rows;
}

}  // namespace modelgate::gates
