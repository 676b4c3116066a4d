#include "gates/robustness_case.h"

#include <algorithm>

namespace modelgate::gates {

const char* CaseExpectationName(CaseExpectation expectation) {
  switch (expectation) {
    case CaseExpectation::kValid:
      return "valid";
    case CaseExpectation::kInvalid:
      return "invalid";
    case CaseExpectation::kHandled:
      return "handled";
  }
  return "unknown";
}

void AlignToSchema(RobustnessCase& robustness_case, const std::vector<FeatureSpec>& features) {
  InferenceBatch& input = robustness_case.input;
  InferenceBatch aligned;
  aligned.rows.emplace_back();
  std::vector<bool> used(input.columns.size(), false);
  for (const auto& feature : features) {
    aligned.columns.push_back(feature.name);
    auto it = std::find(input.columns.begin(), input.columns.end(), feature.name);
    if (it == input.columns.end()) {
      aligned.rows[0].emplace_back(std::monostate{});
      continue;
    }
    const auto index = static_cast<std::size_t>(it - input.columns.begin());
    used[index] = true;
    aligned.rows[0].push_back(input.rows[0][index]);
  }
  for (std::size_t i = 0; i < input.columns.size(); ++i) {
    if (used[i]) continue;
    aligned.columns.push_back(input.columns[i]);
    aligned.rows[0].push_back(input.rows[0][i]);
  }
  input = std::move(aligned);
}

}  // namespace modelgate::gates
