// User-written robustness cases, one JSON object per line:
//   {"name": "empty basket", "input": {"items": 0, "country": "NO"}, "expect": "valid"}
// "expect" is "valid" (2xx with finite outputs), "invalid" (4xx) or "handled" (either).
// Input values are null, numbers, booleans, texts or (nested) lists of numbers for tensors.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "api/status.h"
#include "gates/robustness_case.h"

namespace modelgate::gates {

struct UserCaseLimits {
  std::size_t max_bytes = 64 << 20;
  std::size_t max_line_bytes = 4 << 20;
  std::size_t max_cases = 10000;
  int max_depth = 16;
};

// Parses the JSON lines in `text` read from `source` (a file name or URL, for messages).
// Blank lines are skipped. Fails with InvalidArgument "source:line:column: what" for a line
// that is not JSON or lacks a field, and ResourceExhausted when a limit is passed.
Result<std::vector<RobustnessCase>> ParseUserCases(std::string_view text, const std::string& source,
                                                   const UserCaseLimits& limits = {});

}  // namespace modelgate::gates
