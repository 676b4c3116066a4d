#include "gates/robustness_case_generator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace modelgate::gates {
namespace {

// A level no training set has; obviously synthetic so it is recognisable in a server log.
constexpr char kUnseenLevel[] = "__modelgate_unseen_level__";
// Letters, accents, CJK, right-to-left script and an emoji outside the BMP.
constexpr char kNonAscii[] =
    "Gr\xc3\xbc\xc3\x9f"
    "e \xe6\x9d\xb1\xe4\xba\xac \xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 \xf0\x9f\x9a\x80";

FeatureTensor ImageOfShape(const std::vector<std::size_t>& shape) {
  const std::size_t size =
      std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
  return FeatureTensor{shape, std::vector<double>(size, 0.5)};
}

FeatureValue TypicalValue(const FeatureSpec& feature, const CaseGenerationOptions& options) {
  switch (feature.type) {
    case FeatureType::kNumeric:
      if (feature.min && feature.max) return (*feature.min + *feature.max) / 2;
      if (feature.min) return *feature.min;
      if (feature.max) return std::min(*feature.max, 0.0);
      return 0.0;
    case FeatureType::kCategorical:
      return feature.categories.empty() ? std::string("a") : feature.categories.front();
    case FeatureType::kText:
      return std::string("an ordinary sentence");
    case FeatureType::kImage:
      return ImageOfShape(options.image_shape);
  }
  return std::monostate{};
}

bool InRange(const FeatureSpec& feature, double value) {
  return (!feature.min || value >= *feature.min) && (!feature.max || value <= *feature.max);
}

std::vector<std::size_t> Scaled(std::vector<std::size_t> shape, double factor) {
  // Height and width scale; channels (a last dimension of at most 4) stay.
  const std::size_t spatial =
      shape.size() >= 3 && shape.back() <= 4 ? shape.size() - 1 : shape.size();
  for (std::size_t i = 0; i < spatial && i < 2; ++i) {
    shape[i] = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(shape[i] * factor)));
  }
  return shape;
}

}  // namespace

std::vector<RobustnessCase> GenerateRobustnessCases(const std::vector<FeatureSpec>& features,
                                                    const std::vector<FeatureValue>& base_row,
                                                    const CaseGenerationOptions& options) {
  InferenceBatch base;
  for (const auto& feature : features) base.columns.push_back(feature.name);
  std::vector<FeatureValue> row = base_row;
  if (row.empty()) {
    for (const auto& feature : features) row.push_back(TypicalValue(feature, options));
  }
  base.rows.push_back(row);

  std::vector<RobustnessCase> cases;
  cases.push_back({"base row", "generated", base, CaseExpectation::kValid});
  auto add = [&](std::size_t column, const std::string& what, FeatureValue value,
                 CaseExpectation expect) {
    RobustnessCase robustness_case{what + " in " + features[column].name, "generated", base,
                                   expect};
    robustness_case.input.rows[0][column] = std::move(value);
    cases.push_back(std::move(robustness_case));
  };

  for (std::size_t c = 0; c < features.size(); ++c) {
    const FeatureSpec& feature = features[c];
    if (feature.nullable) add(c, "null", std::monostate{}, CaseExpectation::kValid);
    switch (feature.type) {
      case FeatureType::kNumeric:
        if (InRange(feature, 0)) add(c, "zero", 0.0, CaseExpectation::kValid);
        if (InRange(feature, -1)) {
          const double negative = feature.min ? *feature.min : -1e6;
          add(c, "negative number", negative, CaseExpectation::kValid);
        }
        if (!feature.max) add(c, "huge number", 1e300, CaseExpectation::kValid);
        if (feature.nullable) {
          add(c, "NaN", std::numeric_limits<double>::quiet_NaN(), CaseExpectation::kValid);
        }
        break;
      case FeatureType::kCategorical:
        // Handling an unknown level and refusing it with a 4xx are both acceptable.
        add(c, "unseen level", std::string(kUnseenLevel), CaseExpectation::kHandled);
        break;
      case FeatureType::kText:
        add(c, "empty text", std::string(), CaseExpectation::kValid);
        add(c, "one-character text", std::string("x"), CaseExpectation::kValid);
        add(c, std::to_string(options.long_text_length) + "-character text",
            std::string(options.long_text_length, 'a'), CaseExpectation::kValid);
        add(c, "non-ASCII text", std::string(kNonAscii), CaseExpectation::kValid);
        break;
      case FeatureType::kImage:
        // A server may resize or refuse other sizes, but must not crash on them.
        add(c, "half-size image", ImageOfShape(Scaled(options.image_shape, 0.5)),
            CaseExpectation::kHandled);
        add(c, "double-size image", ImageOfShape(Scaled(options.image_shape, 2.0)),
            CaseExpectation::kHandled);
        break;
    }
  }
  return cases;
}

}  // namespace modelgate::gates
