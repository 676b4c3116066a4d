#include "gates/quality_gate_scores.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "gates/dataset.h"
#include "gates/metrics.h"

namespace modelgate::gates {
namespace {

bool AsNumber(const std::string& text, double* value) { return ParseFiniteDouble(text, value); }

// The class index a model's answer stands for; classes.names.size() for a class the data does
// not have (it counts as wrong).
int PredictedIndex(const Prediction& prediction, const ClassLabels& classes) {
  const int unknown = static_cast<int>(classes.names.size());
  if (!prediction.label.empty()) {
    int index = classes.IndexOf(prediction.label);
    return index >= 0 ? index : unknown;
  }
  if (classes.numeric) {
    for (std::size_t i = 0; i < classes.names.size(); ++i) {
      double value = 0;
      if (AsNumber(classes.names[i], &value) && value == prediction.value) {
        return static_cast<int>(i);
      }
    }
    return unknown;
  }
  // Text classes answered by number: the number is the index of the class (an argmax).
  const double index = prediction.value;
  if (index >= 0 && index < unknown && index == std::floor(index)) return static_cast<int>(index);
  return unknown;
}

}  // namespace

int ClassLabels::IndexOf(const std::string& label) const {
  double value = 0;
  const bool label_is_number = numeric && AsNumber(label, &value);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == label) return static_cast<int>(i);
    double name_value = 0;
    if (label_is_number && AsNumber(names[i], &name_value) && name_value == value) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

Result<ClassLabels> ClassLabelsOf(const std::vector<const std::vector<std::string>*>& target_sets,
                                  const std::optional<std::string>& positive_class) {
  std::set<std::string> distinct;
  for (const auto* targets : target_sets) {
    if (targets != nullptr) distinct.insert(targets->begin(), targets->end());
  }
  if (distinct.empty()) return Status::InvalidArgument("no target values to learn classes from");
  ClassLabels classes;
  classes.numeric = std::all_of(distinct.begin(), distinct.end(), [](const std::string& label) {
    double value = 0;
    return AsNumber(label, &value);
  });
  if (classes.numeric) {
    // One name per value, so "1" and "1.0" are one class.
    std::map<double, std::string> by_value;
    for (const std::string& label : distinct) {
      double value = 0;
      AsNumber(label, &value);
      by_value.emplace(value, label);
    }
    for (const auto& [value, label] : by_value) classes.names.push_back(label);
  } else {
    classes.names.assign(distinct.begin(), distinct.end());
  }
  classes.positive = static_cast<int>(classes.names.size()) - 1;
  if (positive_class.has_value()) {
    classes.positive = classes.IndexOf(*positive_class);
    if (classes.positive < 0) {
      std::string known;
      for (const std::string& name : classes.names) known += (known.empty() ? "" : ", ") + name;
      return Status::InvalidArgument("positiveClass \"" + *positive_class +
                                     "\" is not among the target's classes (" + known + ")");
    }
  }
  return classes;
}

namespace {

Result<QualityScores> ScoreRegression(const std::vector<std::string>& targets,
                                      const std::vector<Prediction>& predictions) {
  std::vector<double> y_true(targets.size());
  std::vector<double> y_pred(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (!AsNumber(targets[i], &y_true[i])) {
      return Status::InvalidArgument("row " + std::to_string(i + 1) + ": target \"" +
                                     targets[i].substr(0, 64) + "\" is not a number");
    }
    y_pred[i] = predictions[i].value;
  }
  Result<RegressionScores> scores = RegressionMetrics(y_true, y_pred);
  if (!scores.ok()) return scores.status();
  QualityScores out;
  out.values["rmse"] = scores->rmse;
  out.values["mae"] = scores->mae;
  out.values["r2"] = scores->r2;
  return out;
}

Result<QualityScores> ScoreClassification(const std::vector<std::string>& targets,
                                          const std::vector<Prediction>& predictions,
                                          const ClassLabels& classes) {
  const int k = static_cast<int>(classes.names.size());
  std::vector<int> y_true(targets.size());
  std::vector<int> y_pred(targets.size());
  bool all_probabilities = true;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    y_true[i] = classes.IndexOf(targets[i]);
    if (y_true[i] < 0) {
      return Status::InvalidArgument("row " + std::to_string(i + 1) + ": target \"" +
                                     targets[i].substr(0, 64) + "\" is not a known class");
    }
    y_pred[i] = PredictedIndex(predictions[i], classes);
    all_probabilities =
        all_probabilities && predictions[i].probabilities.size() == static_cast<std::size_t>(k);
  }
  QualityScores out;
  Result<double> accuracy = Accuracy(y_true, y_pred);
  if (!accuracy.ok()) return accuracy.status();
  out.values["accuracy"] = *accuracy;

  const bool binary = k == 2;
  Result<ClassificationScores> prf = PrecisionRecallF1(
      y_true, y_pred, binary ? Averaging::kBinary : Averaging::kMacro, classes.positive);
  if (prf.ok()) {
    out.values["precision"] = prf->precision;
    out.values["recall"] = prf->recall;
    out.values["f1"] = prf->f1;
    out.notes.push_back(binary
                            ? "precision, recall and f1 of class " + classes.names[classes.positive]
                            : "precision, recall and f1 macro-averaged over the classes");
  } else {
    out.notes.push_back("precision, recall, f1: " + prf.status().message());
  }

  if (!all_probabilities) {
    out.notes.push_back("the model answered no probabilities for " + std::to_string(k) +
                        " classes: auc and logloss cannot be computed");
    return out;
  }
  std::vector<double> probabilities;
  probabilities.reserve(targets.size() * k);
  for (const Prediction& prediction : predictions) {
    probabilities.insert(probabilities.end(), prediction.probabilities.begin(),
                         prediction.probabilities.end());
  }
  Result<double> auc = Status::InvalidArgument("auc needs at least two classes");
  if (binary) {
    std::vector<int> is_positive(y_true.size());
    std::vector<double> scores(y_true.size());
    for (std::size_t i = 0; i < y_true.size(); ++i) {
      is_positive[i] = y_true[i] == classes.positive ? 1 : 0;
      scores[i] = probabilities[i * k + classes.positive];
    }
    auc = RocAuc(is_positive, scores);
  } else if (k > 2) {
    auc = RocAucOneVsRest(y_true, probabilities, k);
  }
  if (auc.ok()) {
    out.values["auc"] = *auc;
  } else {
    out.notes.push_back("auc: " + auc.status().message());
  }
  Result<double> logloss = LogLoss(y_true, probabilities, k);
  if (logloss.ok()) {
    out.values["logloss"] = *logloss;
  } else {
    out.notes.push_back("logloss: " + logloss.status().message());
  }
  return out;
}

}  // namespace

Result<QualityScores> ScorePredictions(ModelTask task, const std::vector<std::string>& targets,
                                       const std::vector<Prediction>& predictions,
                                       const ClassLabels& classes) {
  if (targets.size() != predictions.size()) {
    return Status::InvalidArgument("got " + std::to_string(predictions.size()) +
                                   " predictions for " + std::to_string(targets.size()) + " rows");
  }
  if (targets.empty()) return Status::InvalidArgument("no rows to score");
  return task == ModelTask::kRegression ? ScoreRegression(targets, predictions)
                                        : ScoreClassification(targets, predictions, classes);
}

Result<std::vector<Prediction>> NaiveBaselinePredictions(
    ModelTask task, const std::vector<std::string>& fit_targets, const ClassLabels& classes,
    std::size_t rows) {
  if (fit_targets.empty()) return Status::InvalidArgument("no targets to fit the baseline on");
  Prediction constant;
  if (task == ModelTask::kRegression) {
    std::vector<double> y(fit_targets.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (!AsNumber(fit_targets[i], &y[i])) {
        return Status::InvalidArgument("target \"" + fit_targets[i].substr(0, 64) +
                                       "\" is not a number");
      }
    }
    Result<double> mean = MeanBaseline(y);
    if (!mean.ok()) return mean.status();
    constant.value = *mean;
  } else {
    std::vector<int> y;
    y.reserve(fit_targets.size());
    for (const std::string& target : fit_targets) {
      int index = classes.IndexOf(target);
      if (index < 0) return Status::InvalidArgument("target \"" + target + "\" is not a class");
      y.push_back(index);
    }
    Result<int> majority = MajorityClass(y);
    if (!majority.ok()) return majority.status();
    constant.label = classes.names[*majority];
    constant.value = *majority;
    constant.probabilities.assign(classes.names.size(), 0.0);
    for (int index : y) constant.probabilities[index] += 1.0 / static_cast<double>(y.size());
  }
  return std::vector<Prediction>(rows, constant);
}

}  // namespace modelgate::gates
