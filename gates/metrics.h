// Model quality metrics, each defined as scikit-learn defines it (checked against
// scikit-learn 1.9 in tests/gates/vectors/metrics.json).
//
// Classes are integer indices 0..k-1; the caller maps labels to indices. Errors that the
// caller's data can cause (mismatched lengths, a single class where two are needed,
// probabilities outside [0, 1]) come back as InvalidArgument.
#pragma once

#include <span>
#include <vector>

#include "api/status.h"

namespace modelgate::gates {

// The share of rows where y_pred == y_true. REQUIRES-checked: equal, non-zero lengths.
Result<double> Accuracy(std::span<const int> y_true, std::span<const int> y_pred);

enum class Averaging {
  kBinary,    // the scores of `positive_class` alone
  kMacro,     // the unweighted mean over the labels present in y_true or y_pred
  kWeighted,  // the mean weighted by each label's support in y_true
};

struct ClassificationScores {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

// Precision, recall and F1 as sklearn's precision_recall_fscore_support with
// zero_division=0 (a ratio with a zero denominator counts as 0).
Result<ClassificationScores> PrecisionRecallF1(std::span<const int> y_true,
                                               std::span<const int> y_pred, Averaging averaging,
                                               int positive_class = 1);

// Binary ROC AUC of scores for the positive class (y_true in {0, 1}), with tied scores
// counted as half (the trapezoidal area sklearn's roc_auc_score computes). Returns
// InvalidArgument when y_true holds a single class, as sklearn raises.
Result<double> RocAuc(std::span<const int> y_true, std::span<const double> scores);

// Multiclass one-vs-rest ROC AUC, macro-averaged (roc_auc_score multi_class='ovr').
// `probabilities` is row-major, rows of `num_classes`. Every class must occur in y_true.
Result<double> RocAucOneVsRest(std::span<const int> y_true, std::span<const double> probabilities,
                               int num_classes);

// Mean cross-entropy with probabilities clipped to [eps, 1-eps], eps the float64 machine
// epsilon (sklearn >= 1.3; rows are not renormalised). `probabilities` is row-major with
// `num_classes` columns. Returns InvalidArgument for a probability outside [0, 1].
Result<double> LogLoss(std::span<const int> y_true, std::span<const double> probabilities,
                       int num_classes);

struct RegressionScores {
  double rmse = 0;
  double mae = 0;
  double r2 = 0;  // sklearn's r2_score: 1.0 for a perfect fit of a constant y_true, else 0.0
};

Result<RegressionScores> RegressionMetrics(std::span<const double> y_true,
                                           std::span<const double> y_pred);

// The naive classifier's prediction: the most frequent class (the smallest on ties, as
// sklearn's DummyClassifier 'most_frequent'). REQUIRES-checked: non-empty.
Result<int> MajorityClass(std::span<const int> y);

// The naive regressor's prediction: the mean. REQUIRES-checked: non-empty.
Result<double> MeanBaseline(std::span<const double> y);

}  // namespace modelgate::gates
