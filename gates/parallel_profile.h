// Dataset profiling spread over threads: the calling thread reads rows and copies them into
// batches, and each worker thread accounts a fixed share of the columns for every row of
// every batch, in row order. Since each column sees exactly the values, in exactly the order,
// of a one-thread pass, the profile is identical to ProfileDataset's (sketches included), so
// a verdict never depends on the machine's core count. Parsing numbers and feeding the
// quantile sketches, most of the data gate's time, run in parallel; splitting records stays
// in the reading thread.
#pragma once

#include <string>

#include "api/status.h"
#include "gates/column_profile.h"
#include "gates/dataset.h"

namespace modelgate::gates {

// The worker count ProfileDataset uses for options.threads: the value itself when positive,
// else the machine's hardware threads, at most 4.
int ProfileThreads(const ProfileOptions& options);

// ProfileDataset with `workers` accounting threads besides the calling one. Returns the
// reader's error (with file:line:column) after the workers have stopped.
// REQUIRES: workers >= 1.
Result<DatasetProfile> ProfileDatasetInParallel(RowSource& source, const std::string& name,
                                                const ProfileOptions& options, int workers);

}  // namespace modelgate::gates
