// The quality gate: does the candidate model fit well?
//
// The hold-out rows go through the candidate's serving endpoint in batches and the answers are
// scored (quality_gate_scores.h). Checks, each one a finding in the report:
//  - threshold: the primary metric against its minimum (a maximum for logloss, rmse, mae);
//  - baseline: the metric must beat the naive model (majority class / mean, fit on the
//    training targets when given, else the hold-out's) by baseline_margin;
//  - champion: the champion endpoint answers the same rows; the candidate may be worse by at
//    most max_degradation (metric units) and max_relative_degradation (share of the champion's);
//  - overfitting: validation loss rising for patience_epochs epochs while training loss falls
//    (from the training history), and the train-versus-hold-out gap of the metric against
//    max_train_holdout_gap (the training rows go through the candidate too).
// An endpoint that cannot answer, or a metric the answers do not allow, makes the verdict Error.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "api/gates_spec.h"
#include "api/model_version.h"
#include "gates/gate_result.h"
#include "gates/inference_endpoint.h"
#include "gates/overfitting.h"
#include "gates/quality_gate_rows.h"

namespace modelgate::gates {

struct QualityGateConfig {
  ModelTask task = ModelTask::kClassification;
  QualityMetric metric = QualityMetric::kAuc;
  std::optional<double> threshold;
  double baseline_margin = 0;
  std::optional<double> max_degradation;
  std::optional<double> max_relative_degradation;
  std::size_t batch_size = 64;
  std::optional<std::string> positive_class;
  int patience_epochs = 3;
  std::optional<double> max_train_holdout_gap;
};

// The configuration spec.gates.quality asks for, with the metric chosen by task when absent.
QualityGateConfig QualityGateConfigFromSpec(const QualityGateSpec& spec, ModelTask task);

// What the gate judges. Pointers are borrowed for the call.
struct QualityGateInputs {
  InferenceEndpoint* candidate = nullptr;  // required
  InferenceEndpoint* champion = nullptr;   // when comparing with the champion
  const LabeledRows* holdout = nullptr;    // required, non-empty
  const LabeledRows* training = nullptr;   // for the baseline fit and the gap
  const std::vector<EpochLoss>* history = nullptr;
};

// Runs the gate. Never fails: problems are findings or an Error verdict naming the endpoint.
// Metrics: every score of the hold-out answers ("auc", "accuracy", ...), "baseline<Metric>",
// "champion<Metric>", "trainHoldoutGap" and "holdoutRows".
// REQUIRES: inputs.candidate and inputs.holdout are set; config.batch_size > 0.
GateResult EvaluateQualityGate(const QualityGateConfig& config, const QualityGateInputs& inputs);

// "auc" -> "baselineAuc" with prefix "baseline": the metric-name convention of
// docs/validation-job.md.
std::string PrefixedMetricName(const std::string& prefix, const std::string& metric);

}  // namespace modelgate::gates
