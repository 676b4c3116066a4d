// Datasets: CSV and JSON Lines files that the data and quality gates read (training,
// hold-out, reference, training history). The first input byte chooses the format, the CSV
// delimiter and how the bytes arrive. Beyond not crashing:
// - reading through a tiny buffer from a source that hands out a few bytes per read gives the
//   same columns, rows, row lines and final status as reading it all at once;
// - every row has one field per column, and CSV fields are valid UTF-8;
// - a field read as a number is finite.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/invariant.h"
#include "gates/byte_source.h"
#include "gates/csv_reader.h"
#include "gates/dataset.h"
#include "gates/jsonl_reader.h"

namespace {

using modelgate::Result;
using modelgate::Status;
namespace gates = modelgate::gates;

// Hands out at most `step` bytes per read, as a slow network body does.
class TrickleByteSource : public gates::ByteSource {
 public:
  TrickleByteSource(std::string_view data, size_t step) : data_(data), step_(step) {}
  Result<size_t> Read(char* buffer, size_t size) override {
    const size_t n = std::min({size, step_, data_.size() - at_});
    std::memcpy(buffer, data_.data() + at_, n);
    at_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string_view data_;
  size_t step_;
  size_t at_ = 0;
  std::string name_ = "input";
};

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> lines;
  Status status;
};

Table Read(std::string_view data, bool csv, char delimiter, size_t buffer_bytes, size_t step) {
  auto source = std::make_unique<TrickleByteSource>(data, step);
  Result<std::unique_ptr<gates::RowSource>> reader = Status::Internal("not opened");
  if (csv) {
    gates::CsvOptions options;
    options.delimiter = delimiter;
    options.buffer_bytes = buffer_bytes;
    auto opened = gates::CsvReader::Open(std::move(source), options);
    if (opened.ok())
      reader = std::unique_ptr<gates::RowSource>(std::move(opened).value());
    else
      reader = opened.status();
  } else {
    gates::JsonLinesOptions options;
    options.buffer_bytes = buffer_bytes;
    auto opened = gates::JsonLinesReader::Open(std::move(source), options);
    if (opened.ok())
      reader = std::unique_ptr<gates::RowSource>(std::move(opened).value());
    else
      reader = opened.status();
  }
  Table table;
  if (!reader.ok()) {
    table.status = reader.status();
    return table;
  }
  table.columns = (*reader)->column_names();
  std::vector<std::string_view> fields;
  while (true) {
    Result<bool> got = (*reader)->NextRow(&fields);
    if (!got.ok()) {
      table.status = got.status();
      break;
    }
    if (!*got) break;
    MODELGATE_FUZZ_EXPECT(fields.size() == table.columns.size(), "one field per column");
    table.rows.emplace_back(fields.begin(), fields.end());
    table.lines.push_back((*reader)->Line());
  }
  return table;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = bytes[0];
  const std::string_view data(reinterpret_cast<const char*>(bytes + 1), size - 1);
  const bool csv = (control & 1) == 0;
  static constexpr char kDelimiters[] = {',', ';', '\t', '|'};
  const char delimiter = kDelimiters[(control >> 1) & 3];
  const size_t small_buffer = 1u + ((control >> 3) & 7);
  const size_t step = 1u + ((control >> 6) & 3);

  const Table whole = Read(data, csv, delimiter, 1u << 20, data.size() + 1);
  const Table trickled = Read(data, csv, delimiter, small_buffer, step);
  MODELGATE_FUZZ_EXPECT(whole.status.code() == trickled.status.code() &&
                            whole.status.message() == trickled.status.message(),
                        "buffering does not change how reading ends");
  MODELGATE_FUZZ_EXPECT(whole.columns == trickled.columns, "buffering does not change columns");
  MODELGATE_FUZZ_EXPECT(whole.rows == trickled.rows, "buffering does not change rows");
  MODELGATE_FUZZ_EXPECT(whole.lines == trickled.lines, "buffering does not change row lines");

  for (const std::vector<std::string>& row : whole.rows) {
    for (const std::string& field : row) {
      if (csv) {
        MODELGATE_FUZZ_EXPECT(gates::FindInvalidUtf8(field.data(), field.size()) == field.size(),
                              "CSV fields are UTF-8");
      }
      double value = 0;
      if (gates::ParseFiniteDouble(field, &value)) {
        MODELGATE_FUZZ_EXPECT(value - value == 0, "a number read is finite");
      }
    }
  }
  return 0;
}
