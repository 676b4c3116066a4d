// Edge cases generated from a feature schema: the inputs production will send sooner or later.
#pragma once

#include <cstddef>
#include <vector>

#include "api/model_version.h"
#include "gates/robustness_case.h"

namespace modelgate::gates {

struct CaseGenerationOptions {
  // The shape of one image feature's tensor in the base row, e.g. {28, 28, 1}; other sizes
  // are derived from it.
  std::vector<std::size_t> image_shape = {28, 28, 1};
  std::size_t long_text_length = 10000;
};

// One case per edge of the schema, each a copy of `base_row` with one feature changed:
// null in each nullable feature; an unseen level in each categorical; zero, a negative, a
// huge number and NaN in each numeric feature where its range and nullability allow them;
// empty, one-character, long and non-ASCII text in each text feature; half and double size
// in each image feature. The base row itself comes first, as a control. An empty base row
// is replaced by one built from the schema (a value inside each feature's range, its first
// category, a short text, an image of image_shape).
// REQUIRES: base_row is empty or has features.size() cells, in the schema's order.
std::vector<RobustnessCase> GenerateRobustnessCases(const std::vector<FeatureSpec>& features,
                                                    const std::vector<FeatureValue>& base_row,
                                                    const CaseGenerationOptions& options = {});

}  // namespace modelgate::gates
