#include "gates/overfitting.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace modelgate::gates {
namespace {

std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4g", value);
  return buffer;
}

}  // namespace

OverfittingFinding DetectOverfittingInHistory(const std::vector<EpochLoss>& history,
                                              int patience_epochs) {
  OverfittingFinding finding;
  int run = 0;
  for (std::size_t i = 1; i < history.size(); ++i) {
    const bool val_rising = history[i].val_loss > history[i - 1].val_loss;
    const bool train_falling = history[i].train_loss < history[i - 1].train_loss;
    run = (val_rising && train_falling) ? run + 1 : 0;
    finding.rising_epochs = std::max(finding.rising_epochs, run);
    if (run >= patience_epochs && !finding.overfitting) {
      const EpochLoss& start = history[i - run];
      finding.overfitting = true;
      finding.since_epoch = start.epoch;
      finding.message = "validation loss rose for " + std::to_string(run) + " epochs after epoch " +
                        FormatNumber(start.epoch) + " (" + FormatNumber(start.val_loss) + " -> " +
                        FormatNumber(history[i].val_loss) + ") while training loss fell (" +
                        FormatNumber(start.train_loss) + " -> " +
                        FormatNumber(history[i].train_loss) + ")";
    }
  }
  return finding;
}

Result<std::vector<EpochLoss>> ReadTrainingHistory(RowSource& source, std::size_t max_rows) {
  const std::vector<std::string>& columns = source.column_names();
  const char* const kNames[] = {"epoch", "train_loss", "val_loss"};
  std::size_t index[3];
  for (int k = 0; k < 3; ++k) {
    auto it = std::find(columns.begin(), columns.end(), kNames[k]);
    if (it == columns.end()) {
      return Status::InvalidArgument(source.Position() + ": training history has no column \"" +
                                     kNames[k] + "\" (needs epoch, train_loss, val_loss)");
    }
    index[k] = static_cast<std::size_t>(it - columns.begin());
  }
  std::vector<EpochLoss> history;
  std::vector<std::string_view> fields;
  while (true) {
    Result<bool> more = source.NextRow(&fields);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (history.size() >= max_rows) {
      return Status::ResourceExhausted(source.Position() + ": training history has more than " +
                                       std::to_string(max_rows) + " epochs");
    }
    double values[3];
    for (int k = 0; k < 3; ++k) {
      if (!ParseFiniteDouble(fields[index[k]], &values[k])) {
        return Status::InvalidArgument(source.Position() + ": column " + kNames[k] + ": \"" +
                                       std::string(fields[index[k]].substr(0, 64)) +
                                       "\" is not a finite number");
      }
    }
    history.push_back({values[0], values[1], values[2]});
  }
  return history;
}

double TrainHoldoutGap(double train_value, double holdout_value, bool higher_is_better) {
  return higher_is_better ? train_value - holdout_value : holdout_value - train_value;
}

}  // namespace modelgate::gates
