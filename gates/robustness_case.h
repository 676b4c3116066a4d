// A robustness case: one input row sent through the serving layer, and what a correct
// serving layer must answer to it.
#pragma once

#include <string>
#include <vector>

#include "api/model_version.h"
#include "gates/inference_types.h"

namespace modelgate::gates {

enum class CaseExpectation {
  kValid,    // a 2xx with finite outputs of the right shape
  kInvalid,  // a 4xx: the server must reject it, not crash and not answer
  kHandled,  // either of the two; anything but a 5xx, a timeout or a dropped connection
};

// "valid", "invalid" or "handled".
const char* CaseExpectationName(CaseExpectation expectation);

struct RobustnessCase {
  std::string name;      // what the case tries, e.g. "null in age"
  std::string origin;    // "generated" or file:line of a user case
  InferenceBatch input;  // exactly one row
  CaseExpectation expect = CaseExpectation::kValid;
};

// Puts the case's columns in the schema's order (what positional protocols need): features
// the case does not name become null, names the schema does not know stay, at the end.
void AlignToSchema(RobustnessCase& robustness_case, const std::vector<FeatureSpec>& features);

}  // namespace modelgate::gates
