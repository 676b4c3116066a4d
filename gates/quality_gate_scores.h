// Scoring a model's answers for the quality gate: mapping answers to classes the way
// scikit-learn orders them, every applicable metric of gates/metrics.h, and the naive
// baseline (majority class with the class priors as probabilities, or the mean).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/model_version.h"
#include "api/status.h"
#include "gates/inference_types.h"

namespace modelgate::gates {

// The classes of a classification task.
struct ClassLabels {
  // Sorted as scikit-learn sorts classes_: by value when every label is a number, else as text.
  // Probabilities answered by a model are read in this order.
  std::vector<std::string> names;
  bool numeric = false;
  int positive = 0;  // index of the positive class for binary scores

  // The index of `label`, or -1. Numeric labels match by value ("1" and "1.0").
  int IndexOf(const std::string& label) const;
};

// The classes found in `target_sets` (each a list of raw target values). `positive_class`
// names the positive class; absent, it is the last class (1 for 0/1 labels, as sklearn's
// pos_label=1). Returns InvalidArgument when there is no target or when `positive_class` is
// not among the classes.
Result<ClassLabels> ClassLabelsOf(const std::vector<const std::vector<std::string>*>& target_sets,
                                  const std::optional<std::string>& positive_class);

struct QualityScores {
  // Metric name (as QualityMetric's ToString) -> value; a metric the answers do not allow
  // (auc and logloss without probabilities, auc on one class) is absent.
  std::map<std::string, double> values;
  std::vector<std::string> notes;  // why a metric is absent or how it was computed
};

// Scores `predictions` against `targets` (parallel). For classification, precision, recall and
// F1 are binary (of the positive class) with two classes and macro-averaged with more.
// Returns InvalidArgument when the lengths differ or a regression target is not a number.
// REQUIRES: `classes` from ClassLabelsOf over sets including `targets`, for classification.
Result<QualityScores> ScorePredictions(ModelTask task, const std::vector<std::string>& targets,
                                       const std::vector<Prediction>& predictions,
                                       const ClassLabels& classes);

// The naive model fit on `fit_targets`, answering `rows` rows: the majority class with the
// class frequencies as probabilities, or the mean for regression.
// Returns InvalidArgument when fit_targets is empty or a regression target is not a number.
Result<std::vector<Prediction>> NaiveBaselinePredictions(
    ModelTask task, const std::vector<std::string>& fit_targets, const ClassLabels& classes,
    std::size_t rows);

}  // namespace modelgate::gates
