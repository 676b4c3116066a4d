#include "gates/quality_gate.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "gates/quality_gate_scores.h"

namespace modelgate::gates {
namespace {

std::string Num(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4g", value);
  return buffer;
}

struct Check {
  std::string name;
  bool passed = true;
  std::string message;
};

// Accumulates the checks and turns them into the verdict.
class QualityReport {
 public:
  explicit QualityReport(std::string metric) : metric_(std::move(metric)) {
    result_.gate = "quality";
    result_.verdict = GateVerdict::kPassed;
  }

  void Add(Check check) {
    result_.details["checks"].push_back(
        {{"check", check.name}, {"passed", check.passed}, {"message", check.message}});
    (check.passed ? passed_ : failed_).push_back(check.message);
  }
  GateResult& result() { return result_; }

  GateResult Error(const Status& status) {
    result_.verdict = GateVerdict::kError;
    result_.message = status.message();
    return std::move(result_);
  }

  GateResult Finish() {
    const std::vector<std::string>& shown = failed_.empty() ? passed_ : failed_;
    std::string message;
    for (const std::string& part : shown) message += (message.empty() ? "" : "; ") + part;
    result_.verdict = failed_.empty() ? GateVerdict::kPassed : GateVerdict::kFailed;
    result_.message = message.empty() ? metric_ + " measured; no check configured" : message;
    return std::move(result_);
  }

 private:
  std::string metric_;
  GateResult result_;
  std::vector<std::string> passed_;
  std::vector<std::string> failed_;
};

nlohmann::json ScoresJson(const QualityScores& scores) {
  nlohmann::json out = {{"metrics", nlohmann::json::object()}, {"notes", scores.notes}};
  for (const auto& [name, value] : scores.values) out["metrics"][name] = value;
  return out;
}

// Predicts `rows` through `endpoint` and scores the answers.
Result<QualityScores> ScoreThrough(InferenceEndpoint& endpoint, const LabeledRows& rows,
                                   const QualityGateConfig& config, const ClassLabels& classes) {
  Result<std::vector<Prediction>> predictions =
      PredictInBatches(endpoint, rows.features, config.batch_size);
  if (!predictions.ok()) return predictions.status();
  Result<QualityScores> scores = ScorePredictions(config.task, rows.targets, *predictions, classes);
  if (!scores.ok())
    return scores.status().WithContext(rows.source + " through " + endpoint.Describe());
  return scores;
}

// The primary metric from `scores`, or an error saying why the answers do not give it.
Result<double> Primary(const QualityScores& scores, const std::string& metric,
                       const std::string& whose) {
  auto it = scores.values.find(metric);
  if (it != scores.values.end()) return it->second;
  std::string why;
  for (const std::string& note : scores.notes) why += "; " + note;
  return Status::InvalidArgument(whose + ": " + metric + " cannot be computed" + why);
}

}  // namespace

std::string PrefixedMetricName(const std::string& prefix, const std::string& metric) {
  std::string name = prefix + metric;
  if (!metric.empty()) {
    name[prefix.size()] = static_cast<char>(std::toupper(static_cast<unsigned char>(metric[0])));
  }
  return name;
}

QualityGateConfig QualityGateConfigFromSpec(const QualityGateSpec& spec, ModelTask task) {
  QualityGateConfig config;
  config.task = task;
  config.metric = spec.metric.value_or(DefaultQualityMetric(task));
  config.threshold = spec.threshold;
  config.baseline_margin = spec.baseline_margin;
  if (spec.champion.has_value()) {
    config.max_degradation = spec.champion->max_degradation;
    config.max_relative_degradation = spec.champion->max_relative_degradation;
  }
  config.batch_size = static_cast<std::size_t>(spec.batch_size > 0 ? spec.batch_size : 1);
  config.positive_class = spec.positive_class;
  config.patience_epochs = spec.overfitting.patience_epochs;
  config.max_train_holdout_gap = spec.overfitting.max_train_holdout_gap;
  return config;
}

GateResult EvaluateQualityGate(const QualityGateConfig& config, const QualityGateInputs& inputs) {
  const std::string metric = ToString(config.metric);
  const bool higher_better = HigherIsBetter(config.metric);
  QualityReport report(metric);
  GateResult& result = report.result();
  result.details["metric"] = metric;
  result.details["task"] = ToString(config.task);
  const LabeledRows& holdout = *inputs.holdout;
  result.metrics["holdoutRows"] = static_cast<double>(holdout.targets.size());

  ClassLabels classes;
  if (config.task == ModelTask::kClassification) {
    Result<ClassLabels> labels = ClassLabelsOf(
        {&holdout.targets, inputs.training != nullptr ? &inputs.training->targets : nullptr},
        config.positive_class);
    if (!labels.ok()) return report.Error(labels.status().WithContext(holdout.source));
    classes = std::move(labels).value();
    result.details["classes"] = classes.names;
  }

  // Candidate on the hold-out set: every score becomes a metric.
  Result<QualityScores> candidate = ScoreThrough(*inputs.candidate, holdout, config, classes);
  if (!candidate.ok()) return report.Error(candidate.status());
  result.details["candidate"] = ScoresJson(*candidate);
  for (const auto& [name, value] : candidate->values) result.metrics[name] = value;
  Result<double> value = Primary(*candidate, metric, inputs.candidate->Describe());
  if (!value.ok()) return report.Error(value.status());

  if (config.threshold.has_value()) {
    const double threshold = *config.threshold;
    const bool passed = higher_better ? *value >= threshold : *value <= threshold;
    const char* relation = higher_better ? (passed ? ">=" : "<") : (passed ? "<=" : ">");
    report.Add({"threshold", passed,
                metric + " " + Num(*value) + " " + relation + " threshold " + Num(threshold)});
  }

  // The naive baseline, fit on the training targets when they were read.
  const std::vector<std::string>& fit =
      inputs.training != nullptr ? inputs.training->targets : holdout.targets;
  Result<std::vector<Prediction>> naive =
      NaiveBaselinePredictions(config.task, fit, classes, holdout.targets.size());
  if (!naive.ok()) return report.Error(naive.status());
  Result<QualityScores> baseline = ScorePredictions(config.task, holdout.targets, *naive, classes);
  if (!baseline.ok()) return report.Error(baseline.status());
  result.details["baseline"] = ScoresJson(*baseline);
  if (auto it = baseline->values.find(metric); it != baseline->values.end()) {
    const double base = it->second;
    result.metrics[PrefixedMetricName("baseline", metric)] = base;
    const double improvement = higher_better ? *value - base : base - *value;
    const bool passed = improvement >= config.baseline_margin;
    report.Add({"baseline", passed,
                metric + " " + Num(*value) + (passed ? " beats" : " does not beat") +
                    " the naive baseline's " + Num(base) + " by the required margin " +
                    Num(config.baseline_margin) + " (improvement " + Num(improvement) + ")"});
  }

  if (inputs.champion != nullptr) {
    Result<QualityScores> champion = ScoreThrough(*inputs.champion, holdout, config, classes);
    if (!champion.ok()) return report.Error(champion.status().WithContext("champion"));
    result.details["champion"] = ScoresJson(*champion);
    Result<double> champion_value = Primary(*champion, metric, inputs.champion->Describe());
    if (!champion_value.ok()) return report.Error(champion_value.status());
    result.metrics[PrefixedMetricName("champion", metric)] = *champion_value;
    const double degradation = higher_better ? *champion_value - *value : *value - *champion_value;
    if (config.max_degradation.has_value()) {
      const bool passed = degradation <= *config.max_degradation;
      report.Add({"championDegradation", passed,
                  metric + " " + Num(*value) + " vs champion " + Num(*champion_value) +
                      ": worse by " + Num(std::max(0.0, degradation)) + (passed ? " <= " : " > ") +
                      "allowed " + Num(*config.max_degradation)});
    }
    if (config.max_relative_degradation.has_value()) {
      const double relative = *champion_value != 0 ? degradation / std::fabs(*champion_value)
                                                   : (degradation > 0 ? INFINITY : 0);
      const bool passed = relative <= *config.max_relative_degradation;
      report.Add({"championRelativeDegradation", passed,
                  metric + " " + Num(*value) + " vs champion " + Num(*champion_value) +
                      ": worse by " + Num(std::max(0.0, relative) * 100) + "%" +
                      (passed ? " <= " : " > ") + "allowed " +
                      Num(*config.max_relative_degradation * 100) + "%"});
    }
    if (!config.max_degradation && !config.max_relative_degradation) {
      // With no tolerance given, the candidate must be at least as good as the champion.
      const bool passed = degradation <= 0;
      report.Add({"championDegradation", passed,
                  metric + " " + Num(*value) + (passed ? " is not worse than" : " is worse than") +
                      " the champion's " + Num(*champion_value)});
    }
  }

  if (inputs.history != nullptr) {
    OverfittingFinding finding =
        DetectOverfittingInHistory(*inputs.history, config.patience_epochs);
    result.metrics["risingValidationEpochs"] = finding.rising_epochs;
    report.Add({"overfittingHistory", !finding.overfitting,
                finding.overfitting ? "overfitting: " + finding.message
                                    : "no overfitting in the training history (validation loss "
                                      "rose for at most " +
                                          std::to_string(finding.rising_epochs) +
                                          " epochs while training loss fell, patience " +
                                          std::to_string(config.patience_epochs) + ")"});
  }

  if (config.max_train_holdout_gap.has_value() && inputs.training != nullptr) {
    Result<QualityScores> train =
        ScoreThrough(*inputs.candidate, *inputs.training, config, classes);
    if (!train.ok()) return report.Error(train.status().WithContext("training set"));
    result.details["training"] = ScoresJson(*train);
    Result<double> train_value = Primary(*train, metric, inputs.candidate->Describe());
    if (!train_value.ok()) return report.Error(train_value.status());
    const double gap = TrainHoldoutGap(*train_value, *value, higher_better);
    result.metrics[PrefixedMetricName("train", metric)] = *train_value;
    result.metrics["trainHoldoutGap"] = gap;
    const bool passed = gap <= *config.max_train_holdout_gap;
    report.Add({"trainHoldoutGap", passed,
                metric + " on training " + Num(*train_value) + " vs hold-out " + Num(*value) +
                    ": gap " + Num(gap) + (passed ? " <= " : " > ") + "maxTrainHoldoutGap " +
                    Num(*config.max_train_holdout_gap)});
  }
  return report.Finish();
}

}  // namespace modelgate::gates
