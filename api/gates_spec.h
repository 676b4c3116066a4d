// ModelVersion.spec.gates: which CI gates run and the thresholds each one judges by.
// Field comments give the CRD default; the decoder in model_version.h applies the same ones.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/gate_name.h"
#include "api/status.h"

namespace modelgate {

// Drift test for one feature. kAuto picks by feature type and sample size, as Evidently does.
enum class DriftMethod { kAuto, kPsi, kKs, kChiSquare, kJensenShannon, kWasserstein };
// "auto", "psi", "ks", "chisquare", "jensenshannon", "wasserstein".
const char* ToString(DriftMethod method);
// Returns InvalidArgument listing the allowed values for anything else.
Result<DriftMethod> DriftMethodFromString(std::string_view text);
// The drift threshold used when none is given: a p-value of 0.05 for ks and chisquare (drift
// when p < threshold), 0.1 for psi, jensenshannon and wasserstein (drift when the distance
// is >= threshold). REQUIRES: method != kAuto (resolve the method first).
double DefaultDriftThreshold(DriftMethod method);
// True for methods whose statistic is a p-value (drift below the threshold).
bool DriftThresholdIsPValue(DriftMethod method);

enum class QualityMetric { kAuc, kAccuracy, kF1, kPrecision, kRecall, kLogLoss, kRmse, kMae, kR2 };
// "auc", "accuracy", "f1", "precision", "recall", "logloss", "rmse", "mae", "r2".
const char* ToString(QualityMetric metric);
// Returns InvalidArgument listing the allowed values for anything else.
Result<QualityMetric> QualityMetricFromString(std::string_view text);
// False for the error metrics logloss, rmse and mae, whose threshold is a maximum.
bool HigherIsBetter(QualityMetric metric);

enum class StressMode { kClosed, kOpen };
// "closed" (fixed concurrency) or "open" (constant arrival rate).
const char* ToString(StressMode mode);
Result<StressMode> StressModeFromString(std::string_view text);

// What every gate has.
struct GateCommon {
  bool enabled = true;
  int timeout_seconds = 600;  // >= 1

  bool operator==(const GateCommon&) const = default;
};

// A per-column override of the data gate's drift test.
struct ColumnDrift {
  std::string name;                   // required
  std::optional<DriftMethod> method;  // defaults to DataGateSpec::method
  std::optional<double> threshold;    // > 0; defaults to DataGateSpec::threshold

  bool operator==(const ColumnDrift&) const = default;
};

struct DataGateSpec {
  GateCommon common;
  double max_drift_share = 0.5;  // 0..1: the gate fails when a larger share of features drift
  DriftMethod method = DriftMethod::kAuto;
  std::optional<double> threshold;               // > 0; DefaultDriftThreshold(method) when absent
  std::vector<ColumnDrift> columns;              // unique by name
  std::optional<double> max_null_rate;           // 0..1, per feature
  std::optional<double> max_null_rate_increase;  // 0..1, training minus reference
  bool fail_on_unseen_categories = true;
  bool fail_on_out_of_range = false;

  bool operator==(const DataGateSpec&) const = default;
};

// The production model the candidate must not be worse than.
struct ChampionComparison {
  std::string model_version;              // required: a ModelVersion name in the same namespace
  std::optional<double> max_degradation;  // >= 0, absolute, in metric units
  std::optional<double> max_relative_degradation;  // 0..1

  bool operator==(const ChampionComparison&) const = default;
};

struct OverfittingCheck {
  int patience_epochs = 3;                      // >= 1
  std::optional<double> max_train_holdout_gap;  // 0..1

  bool operator==(const OverfittingCheck&) const = default;
};

struct QualityGateSpec {
  GateCommon common;
  std::optional<QualityMetric> metric;  // absent: chosen by task (see DefaultQualityMetric)
  std::optional<double> threshold;      // minimum, or maximum when !HigherIsBetter(metric)
  double baseline_margin = 0;           // >= 0: required improvement over the naive baseline
  std::optional<ChampionComparison> champion;
  int batch_size = 64;  // >= 1 rows per inference request
  std::optional<std::string> positive_class;
  OverfittingCheck overfitting;

  bool operator==(const QualityGateSpec&) const = default;
};

// Where user-written robustness cases live (JSON lines).
struct RobustnessCases {
  std::string uri;               // required
  std::string format = "jsonl";  // only "jsonl"

  bool operator==(const RobustnessCases&) const = default;
};

struct RobustnessGateSpec {
  GateCommon common;
  std::optional<RobustnessCases> cases;
  int request_timeout_seconds = 10;  // >= 1
  int max_failures = 0;              // >= 0

  bool operator==(const RobustnessGateSpec&) const = default;
};

struct LatencyComparison {
  std::string model_version;   // required: a ModelVersion name in the same namespace
  double max_p99_ratio = 1.2;  // > 0: candidate p99 / champion p99

  bool operator==(const LatencyComparison&) const = default;
};

struct StressGateSpec {
  GateCommon common;
  StressMode mode = StressMode::kClosed;
  int concurrency = 4;               // >= 1, closed mode
  std::optional<double> rate;        // > 0 requests per second; required when mode is open
  int duration_seconds = 30;         // >= 1
  int warmup_seconds = 5;            // >= 0
  std::optional<double> max_p50_ms;  // > 0
  std::optional<double> max_p95_ms;  // > 0
  std::optional<double> max_p99_ms;  // > 0
  double max_error_rate = 0.01;      // 0..1
  std::optional<LatencyComparison> compare_to;

  bool operator==(const StressGateSpec&) const = default;
};

// Every gate is present (the CRD defaults each one to {}), so `enabled` alone says whether it
// runs.
struct GatesSpec {
  bool run_all = false;  // false: the first failed gate skips the rest
  DataGateSpec data;
  QualityGateSpec quality;
  RobustnessGateSpec robustness;
  StressGateSpec stress;

  bool operator==(const GatesSpec&) const = default;
};

// The enabled flag and timeout of `gate` within `gates`.
const GateCommon& GateSettings(const GatesSpec& gates, GateName gate);

}  // namespace modelgate
