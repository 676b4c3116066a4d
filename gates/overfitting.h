// Overfitting signals for the quality gate: the shape of the training history (validation
// loss rising while training loss still falls) and the gap between a metric on the training
// set and on the hold-out set. Pure functions; reading the history file is separate.
#pragma once

#include <string>
#include <vector>

#include "api/status.h"
#include "gates/dataset.h"

namespace modelgate::gates {

// One epoch of a training history.
struct EpochLoss {
  double epoch = 0;
  double train_loss = 0;
  double val_loss = 0;
};

struct OverfittingFinding {
  bool overfitting = false;
  // The epoch after which validation loss rose for `patience` epochs in a row while training
  // loss fell; meaningful only when overfitting.
  double since_epoch = 0;
  int rising_epochs = 0;  // the longest such run found
  std::string message;    // one sentence with the numbers, empty when none
};

// Looks for `patience_epochs` consecutive epochs in which val_loss rose and train_loss fell
// (each compared with the epoch before). Epochs are taken in the order given.
// REQUIRES: patience_epochs >= 1.
OverfittingFinding DetectOverfittingInHistory(const std::vector<EpochLoss>& history,
                                              int patience_epochs);

// Reads a training history with columns epoch, train_loss and val_loss (other columns are
// ignored), at most `max_rows` epochs. Returns InvalidArgument naming the source, the line and
// the column for a missing column, a value that is not a finite number, or too many rows.
Result<std::vector<EpochLoss>> ReadTrainingHistory(RowSource& source,
                                                   std::size_t max_rows = 100000);

// The amount by which the metric on the training set is better than on the hold-out set,
// in metric units: train - holdout for metrics where higher is better, holdout - train for
// error metrics. Negative when the hold-out score is the better one.
double TrainHoldoutGap(double train_value, double holdout_value, bool higher_is_better);

}  // namespace modelgate::gates
