#include "gates/parallel_profile.h"

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace modelgate::gates {
namespace {

// Large enough that handing a batch over costs little per row, small enough that a batch
// stays in a core's cache while its columns are accounted one after the other.
constexpr std::size_t kBatchRows = 1024;
constexpr std::size_t kBatchBytes = 256u << 10;
// Batches in flight: the reader fills one while the workers account the others; a deep
// queue rides out a worker that the scheduler leaves waiting on a busy machine.
constexpr std::size_t kBatches = 8;

// Rows copied out of the reader's buffer, which the next NextRow call reuses.
struct RowBatch {
  std::vector<char> bytes;  // the first `used` bytes hold the fields back to back
  std::size_t used = 0;
  // End offset of field c of row r at r*width + c. A batch stays far below 4 GiB: rows are
  // added while it is under kBatchBytes, and the readers bound a row to tens of megabytes.
  std::vector<std::uint32_t> ends;
  std::vector<std::size_t> lines;
  std::size_t rows = 0;
  std::int64_t first_row = 0;  // 1-based data row number of row 0
  int pending = 0;             // workers that have not accounted it yet

  void Clear(std::int64_t first) {
    used = 0;
    ends.clear();
    lines.clear();
    rows = 0;
    first_row = first;
  }

  std::string_view Field(std::size_t row, std::size_t column, std::size_t width) const {
    const std::size_t i = row * width + column;
    const std::size_t begin = i == 0 ? 0 : ends[i - 1];
    return {bytes.data() + begin, ends[i] - begin};
  }
};

// Hands batches from the reading thread to the workers and back.
class BatchQueue {
 public:
  explicit BatchQueue(int workers) : workers_(workers), slots_(kBatches) {
    for (std::size_t i = 0; i < kBatches; ++i) {
      batches_.push_back(std::make_unique<RowBatch>());
      free_.push_back(batches_.back().get());
    }
  }

  // A batch the reader may fill; waits until the workers have released one.
  RowBatch* Acquire() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [this] { return !free_.empty(); });
    RowBatch* batch = free_.front();
    free_.pop_front();
    return batch;
  }

  // Gives a filled batch to every worker.
  void Publish(RowBatch* batch) {
    std::lock_guard lock(mu_);
    batch->pending = workers_;
    // Slot reuse is safe: batch number published_ - kBatches was released before a batch to
    // fill could be acquired, since there are only kBatches of them.
    slots_[static_cast<std::size_t>(published_ % kBatches)] = batch;
    ++published_;
    changed_.notify_all();
  }

  // No more batches will be published.
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    changed_.notify_all();
  }

  // The batch numbered `sequence`, or nullptr when the reader closed before publishing it.
  RowBatch* Next(std::int64_t sequence) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return published_ > sequence || closed_; });
    if (published_ <= sequence) return nullptr;
    return slots_[static_cast<std::size_t>(sequence % kBatches)];
  }

  // A worker is done with `batch`; the last one returns it to the reader.
  void Release(RowBatch* batch) {
    std::lock_guard lock(mu_);
    if (--batch->pending == 0) {
      free_.push_back(batch);
      changed_.notify_all();
    }
  }

 private:
  const int workers_;
  std::vector<std::unique_ptr<RowBatch>> batches_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<RowBatch*> free_;    // guarded by mu_
  std::vector<RowBatch*> slots_;  // guarded by mu_; published batch n is slots_[n % kBatches]
  std::int64_t published_ = 0;    // guarded by mu_
  bool closed_ = false;           // guarded by mu_
};

// Copies one row of `width` fields into `batch` (the readers give every row that many).
void Append(const std::vector<std::string_view>& fields, std::size_t width, std::size_t line,
            RowBatch* batch) {
  std::size_t size = 0;
  for (std::string_view field : fields) size += field.size();
  if (batch->used + size > batch->bytes.size()) {
    batch->bytes.resize(std::max(2 * batch->bytes.size(), batch->used + size));
  }
  char* out = batch->bytes.data() + batch->used;
  for (std::size_t c = 0; c < width; ++c) {
    if (c < fields.size()) {
      std::memcpy(out, fields[c].data(), fields[c].size());
      out += fields[c].size();
    }
    batch->ends.push_back(static_cast<std::uint32_t>(out - batch->bytes.data()));
  }
  batch->used = static_cast<std::size_t>(out - batch->bytes.data());
  batch->lines.push_back(line);
  ++batch->rows;
}

// Accounts columns worker, worker + workers, ... of every published batch.
void Account(BatchQueue& queue, const RowSource& source, int worker, int workers,
             DatasetProfile* profile) {
  const std::size_t width = profile->columns.size();
  for (std::int64_t sequence = 0;; ++sequence) {
    RowBatch* batch = queue.Next(sequence);
    if (batch == nullptr) return;
    for (std::size_t c = static_cast<std::size_t>(worker); c < width;
         c += static_cast<std::size_t>(workers)) {
      ColumnProfile& column = profile->profiles[c];
      for (std::size_t r = 0; r < batch->rows; ++r) {
        column.Add(batch->Field(r, c, width), batch->first_row + static_cast<std::int64_t>(r));
        if (column.non_numeric_count() == 1 && column.first_non_numeric_position().empty()) {
          column.set_first_non_numeric_position(source.PositionAt(batch->lines[r]));
        }
      }
    }
    queue.Release(batch);
  }
}

}  // namespace

std::optional<int> CgroupCpuLimit(std::string_view cpu_max, std::string_view cfs_quota_us,
                                  std::string_view cfs_period_us) {
  auto number = [](std::string_view text, double* value) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
    return ec == std::errc() && end == text.data() + text.size();
  };
  double quota = 0, period = 0;
  if (!cpu_max.empty()) {
    const std::size_t space = cpu_max.find(' ');
    if (space == std::string_view::npos || !number(cpu_max.substr(0, space), &quota) ||
        !number(cpu_max.substr(space + 1), &period)) {
      return std::nullopt;  // "max ...": no quota
    }
  } else if (!number(cfs_quota_us, &quota) || !number(cfs_period_us, &period)) {
    return std::nullopt;
  }
  if (quota <= 0 || period <= 0) return std::nullopt;  // v1 writes -1 for no quota
  return std::max(1, static_cast<int>(quota / period));
}

int ProfileThreads(const ProfileOptions& options) {
  if (options.threads > 0) return options.threads;
  int cpus = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
  auto read = [](const char* path) {
    std::ifstream in(path);
    std::string text;
    std::getline(in, text);
    return text;
  };
  const std::optional<int> limit =
      CgroupCpuLimit(read("/sys/fs/cgroup/cpu.max"), read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
                     read("/sys/fs/cgroup/cpu/cpu.cfs_period_us"));
  if (limit.has_value()) cpus = std::min(cpus, *limit);
  return cpus;
}

Result<DatasetProfile> ProfileDatasetInParallel(RowSource& source, const std::string& name,
                                                const ProfileOptions& options, int workers) {
  DatasetProfile profile;
  profile.name = name;
  profile.columns = source.column_names();
  profile.profiles.assign(profile.columns.size(), ColumnProfile(options));
  workers = std::clamp(workers, 1, std::max(1, static_cast<int>(profile.columns.size())));

  BatchQueue queue(workers);
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back(
        [&queue, &source, &profile, w, workers] { Account(queue, source, w, workers, &profile); });
  }
  Status status = Status::Ok();
  std::vector<std::string_view> fields;
  bool more = true;
  while (more && status.ok()) {
    RowBatch* batch = queue.Acquire();
    batch->Clear(profile.rows + 1);
    while (batch->rows < kBatchRows && batch->used < kBatchBytes) {
      Result<bool> got = source.NextRow(&fields);
      if (!got.ok()) {
        status = got.status();
        break;
      }
      if (!*got) {
        more = false;
        break;
      }
      Append(fields, profile.columns.size(), source.Line(), batch);
      ++profile.rows;
    }
    queue.Publish(batch);
  }
  queue.Close();
  for (std::thread& thread : threads) thread.join();
  if (!status.ok()) return status;
  return profile;
}

}  // namespace modelgate::gates
