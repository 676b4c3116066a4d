// Dataset profiling spread over threads: the calling thread reads rows and copies them into
// batches, and each worker thread accounts a fixed share of the columns for every row of
// every batch, in row order. Since each column sees exactly the values, in exactly the order,
// of a one-thread pass, the profile is identical to ProfileDataset's (sketches included), so
// a verdict never depends on the machine's core count. Parsing numbers and feeding the
// quantile sketches, most of the data gate's time, run in parallel; splitting records stays
// in the reading thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/status.h"
#include "gates/column_profile.h"
#include "gates/dataset.h"

namespace modelgate::gates {

// The worker count ProfileDataset uses for options.threads: the value itself when positive,
// else the CPUs the process may use (the machine's hardware threads, fewer under a cgroup CPU
// quota such as a Kubernetes CPU limit), at most 4. With one CPU, threads would only take
// turns, so the profile is then read on the calling thread.
int ProfileThreads(const ProfileOptions& options);

// Whole CPUs granted by a cgroup CPU quota: from cgroup v2's cpu.max ("max 100000" or
// "200000 100000"), or cgroup v1's cpu.cfs_quota_us and cpu.cfs_period_us when `cpu_max` is
// empty. nullopt when there is no quota or the text does not parse; at least 1 otherwise.
std::optional<int> CgroupCpuLimit(std::string_view cpu_max, std::string_view cfs_quota_us,
                                  std::string_view cfs_period_us);

// ProfileDataset with `workers` accounting threads besides the calling one. Returns the
// reader's error (with file:line:column) after the workers have stopped.
// REQUIRES: workers >= 1.
Result<DatasetProfile> ProfileDatasetInParallel(RowSource& source, const std::string& name,
                                                const ProfileOptions& options, int workers);

}  // namespace modelgate::gates
