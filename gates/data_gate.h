// The data gate: is the training data fit for today's production?
//
// A pure function of the two dataset profiles and the configuration; the I/O (reading and
// profiling both datasets in one streaming pass each) happens before, in RunDataGate.
//
// Checks, in order, each adding findings to the report:
//  - schema: every feature must be in the training data (missing -> fail); training columns
//    that are neither features nor excluded are "new" (fail when fail_on_new_columns); a
//    numeric feature with a value that is not a number on either side is a type mismatch
//    (fail, naming the value and file:line);
//  - completeness: training null rate above max_null_rate, or above the reference's by more
//    than max_null_rate_increase, or any null in a feature declared not nullable (fail);
//  - ranges: training values outside the declared [min, max], or the reference's range when
//    none is declared (fail when fail_on_out_of_range);
//  - categories: training values outside the declared categories, or the reference's when
//    none are declared (fail when fail_on_unseen_categories); reference categories absent
//    from training are reported only;
//  - drift of each feature (feature_drift.h), and the share of drifted features: the gate
//    fails when that share is larger than max_drift_share.
// A configuration that cannot be applied (a method that does not fit a column) makes the
// verdict Error.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/status.h"
#include "gates/column_profile.h"
#include "gates/dataset.h"
#include "gates/drift_method.h"
#include "gates/gate_result.h"

namespace modelgate::gates {

// What the schema says about one feature.
struct FeatureRule {
  enum class Kind { kNumeric, kCategorical, kOther };  // kOther (text, image): no drift test
  std::string name;
  Kind kind = Kind::kNumeric;
  bool nullable = true;
  std::vector<std::string> categories = {};  // allowed values; empty: the reference's
  std::optional<double> min = {};            // allowed range; absent: the reference's
  std::optional<double> max = {};
};

struct ColumnDriftRule {
  std::optional<DriftMethod> method = {};
  std::optional<double> threshold = {};
};

struct DataGateConfig {
  double max_drift_share = 0.5;
  std::optional<DriftMethod> method;  // absent: Evidently's default per column
  std::optional<double> threshold;    // absent: the method's default
  std::map<std::string, ColumnDriftRule> column_drift;
  std::optional<double> max_null_rate;
  std::optional<double> max_null_rate_increase;
  bool fail_on_unseen_categories = true;
  bool fail_on_out_of_range = false;
  bool fail_on_new_columns = false;
  // The features; empty: every reference column not excluded, numeric when all its values
  // are numbers, categorical otherwise.
  std::vector<FeatureRule> features;
  std::vector<std::string> excluded_columns;  // the target, identifiers
  ProfileOptions profile;
};

// Judges `training` against `reference`. Never fails: problems are findings in the result.
// Metrics: drift_share, drifted_features, checked_features, missing_columns,
// reference_rows, training_rows, max_null_rate (the highest training null rate of a
// feature), and per feature null_rate.<feature> and drift_score.<feature> (the feature's
// name as written).
GateResult EvaluateDataGate(const DatasetProfile& reference, const DatasetProfile& training,
                            const DataGateConfig& config);

// Profiles both datasets and evaluates the gate. A dataset that cannot be read gives an
// Error verdict whose message names the file, line and column.
GateResult RunDataGate(RowSource& reference, const std::string& reference_name, RowSource& training,
                       const std::string& training_name, const DataGateConfig& config);

}  // namespace modelgate::gates
