#include "gates/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>

namespace modelgate::gates {
namespace {

Status CheckLengths(std::size_t a, std::size_t b) {
  if (a == 0) return Status::InvalidArgument("no rows to score");
  if (a != b) {
    return Status::InvalidArgument("length mismatch: " + std::to_string(a) + " labels, " +
                                   std::to_string(b) + " predictions");
  }
  return Status::Ok();
}

double Ratio(double numerator, double denominator) {
  return denominator == 0 ? 0.0 : numerator / denominator;
}

}  // namespace

Result<double> Accuracy(std::span<const int> y_true, std::span<const int> y_pred) {
  MODELGATE_RETURN_IF_ERROR(CheckLengths(y_true.size(), y_pred.size()));
  std::size_t right = 0;
  for (std::size_t i = 0; i < y_true.size(); ++i) right += y_true[i] == y_pred[i];
  return static_cast<double>(right) / static_cast<double>(y_true.size());
}

Result<ClassificationScores> PrecisionRecallF1(std::span<const int> y_true,
                                               std::span<const int> y_pred, Averaging averaging,
                                               int positive_class) {
  MODELGATE_RETURN_IF_ERROR(CheckLengths(y_true.size(), y_pred.size()));
  struct Counts {
    double true_positive = 0, predicted = 0, support = 0;
  };
  std::map<int, Counts> per_label;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    per_label[y_true[i]].support += 1;
    per_label[y_pred[i]].predicted += 1;
    if (y_true[i] == y_pred[i]) per_label[y_true[i]].true_positive += 1;
  }
  auto scores_of = [](const Counts& c) {
    ClassificationScores s;
    s.precision = Ratio(c.true_positive, c.predicted);
    s.recall = Ratio(c.true_positive, c.support);
    s.f1 = Ratio(2 * c.true_positive, c.predicted + c.support);
    return s;
  };
  if (averaging == Averaging::kBinary) {
    if (per_label.size() > 2) {
      return Status::InvalidArgument("binary averaging needs at most two classes, found " +
                                     std::to_string(per_label.size()));
    }
    return scores_of(per_label[positive_class]);
  }
  ClassificationScores total;
  double weight_sum = 0;
  for (const auto& [label, counts] : per_label) {
    const double weight = averaging == Averaging::kMacro ? 1.0 : counts.support;
    ClassificationScores s = scores_of(counts);
    total.precision += weight * s.precision;
    total.recall += weight * s.recall;
    total.f1 += weight * s.f1;
    weight_sum += weight;
  }
  total.precision = Ratio(total.precision, weight_sum);
  total.recall = Ratio(total.recall, weight_sum);
  total.f1 = Ratio(total.f1, weight_sum);
  return total;
}

Result<double> RocAuc(std::span<const int> y_true, std::span<const double> scores) {
  MODELGATE_RETURN_IF_ERROR(CheckLengths(y_true.size(), scores.size()));
  const std::size_t n = y_true.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  for (double s : scores) {
    if (std::isnan(s)) return Status::InvalidArgument("scores contain NaN");
  }
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  // The Mann–Whitney form: tied scores share their mean rank, which counts each tied
  // positive/negative pair as one half, exactly the trapezoids of the ROC curve.
  double positives = 0;
  double rank_sum = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    const double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (std::size_t k = i; k < j; ++k) {
      const int label = y_true[order[k]];
      if (label != 0 && label != 1) {
        return Status::InvalidArgument("binary ROC AUC needs labels 0 and 1, found " +
                                       std::to_string(label));
      }
      if (label == 1) {
        positives += 1;
        rank_sum += mean_rank;
      }
    }
    i = j;
  }
  const double negatives = static_cast<double>(n) - positives;
  if (positives == 0 || negatives == 0) {
    return Status::InvalidArgument(
        "only one class present in y_true; ROC AUC is not defined in that case");
  }
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

Result<double> RocAucOneVsRest(std::span<const int> y_true, std::span<const double> probabilities,
                               int num_classes) {
  if (num_classes < 2) return Status::InvalidArgument("one-vs-rest AUC needs two or more classes");
  MODELGATE_RETURN_IF_ERROR(
      CheckLengths(y_true.size() * static_cast<std::size_t>(num_classes), probabilities.size()));
  double sum = 0;
  std::vector<int> is_class(y_true.size());
  std::vector<double> column(y_true.size());
  for (int c = 0; c < num_classes; ++c) {
    for (std::size_t i = 0; i < y_true.size(); ++i) {
      if (y_true[i] < 0 || y_true[i] >= num_classes) {
        return Status::InvalidArgument("label " + std::to_string(y_true[i]) + " outside 0.." +
                                       std::to_string(num_classes - 1));
      }
      is_class[i] = y_true[i] == c ? 1 : 0;
      column[i] = probabilities[i * static_cast<std::size_t>(num_classes) + c];
    }
    Result<double> auc = RocAuc(is_class, column);
    if (!auc.ok()) {
      return Status::InvalidArgument("class " + std::to_string(c) + ": " + auc.status().message());
    }
    sum += *auc;
  }
  return sum / num_classes;
}

Result<double> LogLoss(std::span<const int> y_true, std::span<const double> probabilities,
                       int num_classes) {
  if (num_classes < 2) return Status::InvalidArgument("log loss needs two or more classes");
  MODELGATE_RETURN_IF_ERROR(
      CheckLengths(y_true.size() * static_cast<std::size_t>(num_classes), probabilities.size()));
  const double eps = std::numeric_limits<double>::epsilon();
  double total = 0;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    if (y_true[i] < 0 || y_true[i] >= num_classes) {
      return Status::InvalidArgument("label " + std::to_string(y_true[i]) + " outside 0.." +
                                     std::to_string(num_classes - 1));
    }
    for (int c = 0; c < num_classes; ++c) {
      const double p = probabilities[i * static_cast<std::size_t>(num_classes) + c];
      if (!(p >= 0 && p <= 1)) {
        return Status::InvalidArgument("row " + std::to_string(i + 1) +
                                       ": probability outside [0, 1]: " + std::to_string(p));
      }
    }
    const double p = probabilities[i * static_cast<std::size_t>(num_classes) + y_true[i]];
    total -= std::log(std::clamp(p, eps, 1 - eps));
  }
  return total / static_cast<double>(y_true.size());
}

Result<RegressionScores> RegressionMetrics(std::span<const double> y_true,
                                           std::span<const double> y_pred) {
  MODELGATE_RETURN_IF_ERROR(CheckLengths(y_true.size(), y_pred.size()));
  const double n = static_cast<double>(y_true.size());
  double mean = 0;
  for (double y : y_true) mean += y;
  mean /= n;
  double squared = 0, absolute = 0, total = 0;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const double e = y_true[i] - y_pred[i];
    squared += e * e;
    absolute += std::abs(e);
    total += (y_true[i] - mean) * (y_true[i] - mean);
  }
  RegressionScores s;
  s.rmse = std::sqrt(squared / n);
  s.mae = absolute / n;
  if (total == 0) {
    s.r2 = squared == 0 ? 1.0 : 0.0;  // sklearn's force_finite
  } else {
    s.r2 = 1 - squared / total;
  }
  return s;
}

Result<int> MajorityClass(std::span<const int> y) {
  if (y.empty()) return Status::InvalidArgument("no labels for a majority class");
  std::map<int, std::size_t> counts;
  for (int label : y) ++counts[label];
  int best = counts.begin()->first;
  std::size_t best_count = 0;
  for (const auto& [label, count] : counts) {
    if (count > best_count) {
      best = label;
      best_count = count;
    }
  }
  return best;
}

Result<double> MeanBaseline(std::span<const double> y) {
  if (y.empty()) return Status::InvalidArgument("no values for a mean baseline");
  double sum = 0;
  for (double v : y) sum += v;
  return sum / static_cast<double>(y.size());
}

}  // namespace modelgate::gates
