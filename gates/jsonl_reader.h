// JsonLinesReader: a streaming reader of JSON Lines (one JSON object per line).
//
// The keys of the first object are the columns, in the order written. Later objects may omit
// keys (read as null) but not add new ones. Values must be scalars: strings, numbers,
// booleans or null. Line length and nesting depth are bounded.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/status.h"
#include "gates/byte_source.h"
#include "gates/dataset.h"

namespace modelgate::gates {

struct JsonLinesOptions {
  std::size_t max_line_bytes = 16u << 20;
  std::size_t max_depth = 64;
  std::size_t max_columns = 10000;
  std::size_t buffer_bytes = 1u << 20;
};

class JsonLinesReader : public RowSource {
 public:
  // Reads the first object to learn the columns. Returns InvalidArgument naming the source
  // for an empty file or a first line that is not a JSON object of scalars.
  // REQUIRES: options.buffer_bytes > 0.
  static Result<std::unique_ptr<JsonLinesReader>> Open(std::unique_ptr<ByteSource> source,
                                                       JsonLinesOptions options = {});

  const std::vector<std::string>& column_names() const override { return columns_; }

  // Reads the next object. Errors name source:line:column: malformed JSON, a value that is
  // an array or object, a key the first line did not have, a line over the length bound.
  Result<bool> NextRow(std::vector<std::string_view>* fields) override;

  std::string Position() const override;
  std::size_t Line() const override { return line_; }
  std::string PositionAt(std::size_t line) const override;

 private:
  JsonLinesReader(std::unique_ptr<ByteSource> source, JsonLinesOptions options);

  // Finds the next non-blank line; false at the end of the data.
  Result<bool> NextLine(std::string_view* line);
  Status Refill();
  // Parses `line` into values_; learns the columns when `first` is set.
  Status ParseObject(std::string_view line, bool first);
  Status ErrorAt(std::size_t column, const std::string& what) const;

  std::unique_ptr<ByteSource> source_;
  JsonLinesOptions options_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // offsets into buffer_
  std::size_t end_ = 0;
  bool eof_ = false;
  std::size_t line_ = 0;  // line number of the line last read
  bool pending_first_row_ = false;
  std::vector<std::string> columns_;
  std::unordered_map<std::string, std::size_t> column_index_;
  std::vector<std::string> values_;  // the current row, parallel to columns_
};

// Parses a whole JSON Lines document held in memory and discards the rows; the entry point
// for fuzzing. Returns the first error, or OK.
Status ScanJsonLines(const char* data, std::size_t size, const JsonLinesOptions& options = {});

}  // namespace modelgate::gates
