// Datasets as streams of rows: the interface the CSV and JSON Lines readers implement, and
// the value conventions (what is null, what is a number) every gate shares.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/status.h"
#include "gates/byte_source.h"

namespace modelgate::gates {

// A tabular dataset read one row at a time. Memory use does not grow with the row count.
class RowSource {
 public:
  virtual ~RowSource() = default;

  // The column names, in file order (the CSV header, or the keys of the first JSON line).
  virtual const std::vector<std::string>& column_names() const = 0;

  // Reads the next row into `fields`, one view per column in column_names() order; a null
  // value is an empty view. Returns false at the end of the data. The views stay valid until
  // the next call. Returns InvalidArgument naming file:line:column for malformed input and
  // ResourceExhausted when a configured bound is exceeded.
  virtual Result<bool> NextRow(std::vector<std::string_view>* fields) = 0;

  // "name:line" of the row last returned, for messages.
  virtual std::string Position() const = 0;

  // The line where the row last returned starts, so that a caller handing rows to other
  // threads can keep it per row and name a row later with PositionAt.
  virtual std::size_t Line() const = 0;

  // "name:line" for a row that started on `line`. Safe to call from other threads while
  // rows are being read.
  virtual std::string PositionAt(std::size_t line) const = 0;
};

enum class DatasetFormat { kCsv, kJsonLines };

// Parses "csv" or "jsonl" (also "json-lines", "ndjson"). Returns InvalidArgument otherwise.
Result<DatasetFormat> ParseDatasetFormat(std::string_view text);

// Opens `source` as a dataset of `format` with default bounds and reads its header.
// Returns the reader's error (empty file, bad header) on failure.
Result<std::unique_ptr<RowSource>> OpenDataset(std::unique_ptr<ByteSource> source,
                                               DatasetFormat format);

// True for the values every gate treats as missing: "", "NA", "null" (and JSON null, which
// the JSON Lines reader hands over as an empty view).
bool IsNullValue(std::string_view value);

// Parses `text` as a finite double (decimal or scientific; no surrounding spaces, no
// "inf"/"nan"). Returns false when it is not one.
bool ParseFiniteDouble(std::string_view text, double* value);

// Returns the offset of the first byte in [data, data+size) that is not part of valid UTF-8
// (overlong forms, surrogates and code points above U+10FFFF are invalid), or `size`.
std::size_t FindInvalidUtf8(const char* data, std::size_t size);

}  // namespace modelgate::gates
