// CsvReader: a streaming RFC 4180 reader.
//
// Quoted fields with doubled quotes and embedded newlines, a UTF-8 byte-order mark, LF or CRLF
// line ends, and a header row. Blank lines are skipped (as pandas does). Rows are parsed from
// large buffers with memchr scans; only records that contain a quote take the slow path.
// Every bound is explicit so a hostile file cannot exhaust memory.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/status.h"
#include "gates/byte_source.h"
#include "gates/dataset.h"

namespace modelgate::gates {

struct CsvOptions {
  char delimiter = ',';
  std::size_t max_field_bytes = 16u << 20;   // one field, after unquoting
  std::size_t max_record_bytes = 64u << 20;  // one record, as stored in the file
  std::size_t max_columns = 10000;
  std::size_t buffer_bytes = 1u << 20;  // initial read buffer; grows for long records
};

class CsvReader : public RowSource {
 public:
  // Reads the header row from `source`. Returns InvalidArgument naming the source for an
  // empty file, an empty or duplicate column name, or malformed CSV (with line:column).
  // REQUIRES: options.buffer_bytes > 0, options.delimiter is not '"', '\r' or '\n'.
  static Result<std::unique_ptr<CsvReader>> Open(std::unique_ptr<ByteSource> source,
                                                 CsvOptions options = {});

  const std::vector<std::string>& column_names() const override { return columns_; }

  // Reads the next record. A record whose field count differs from the header's is an error
  // ("name:line:column: row has 4 fields, the header has 3"), as is invalid UTF-8.
  Result<bool> NextRow(std::vector<std::string_view>* fields) override;

  std::string Position() const override;
  std::size_t Line() const override { return record_line_; }
  std::string PositionAt(std::size_t line) const override;

 private:
  CsvReader(std::unique_ptr<ByteSource> source, CsvOptions options);

  enum class Scan { kRecord, kNeedMore, kEnd };

  // Reads the next record's fields without checking the column count.
  Result<bool> NextRecord(std::vector<std::string_view>* fields);
  // Parses the record at begin_ if it is complete in the buffer.
  Result<Scan> ParseRecord(std::vector<std::string_view>* fields);
  Result<Scan> ParseQuotedRecord(std::vector<std::string_view>* fields);
  // Moves the unconsumed bytes to the buffer's front and reads more; grows when full.
  Status Refill();
  Status Utf8Check(const char* begin, const char* end) const;
  // An error naming the record's line unless `count` matches the header.
  Status CheckFieldCount(std::size_t count, const char* surplus, const char* record_end) const;
  Status ErrorAt(const char* where, const std::string& what) const;
  // An error at `where` inside the record that starts at `record` on line `line`.
  Status ErrorIn(const char* record, std::size_t line, const char* where,
                 const std::string& what) const;

  std::unique_ptr<ByteSource> source_;
  CsvOptions options_;
  std::vector<char> buffer_;
  char* begin_ = nullptr;         // first unconsumed byte
  char* end_ = nullptr;           // one past the last byte read
  char* record_begin_ = nullptr;  // start of the record last returned
  bool eof_ = false;
  bool at_start_ = true;
  std::size_t line_ = 1;         // line where the record at begin_ starts
  std::size_t record_line_ = 0;  // line where the last returned record started
  std::vector<std::string> columns_;
  std::size_t expected_columns_ = 0;  // 0 while reading the header
};

// Parses a whole CSV document held in memory and discards the rows; the entry point for
// fuzzing. Returns the first error, or OK.
Status ScanCsv(const char* data, std::size_t size, const CsvOptions& options = {});

}  // namespace modelgate::gates
