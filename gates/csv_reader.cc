#include "gates/csv_reader.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <unordered_set>
#include <utility>

namespace modelgate::gates {
namespace {

std::string Bytes(std::size_t n) {
  if (n % (1u << 20) == 0) return std::to_string(n >> 20) + " MiB";
  return std::to_string(n) + " bytes";
}

// The first `c` in [p, end), or end. Fields are a few bytes long, where memchr's set-up
// costs more than the search: this looks at eight bytes at a time with a word-wide zero-byte
// test (the lowest flagged byte is always a true match).
char* FindByte(char* p, char* end, char c) {
  static_assert(std::endian::native == std::endian::little);
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  const std::uint64_t pattern = kOnes * static_cast<unsigned char>(c);
  for (; end - p >= 8; p += 8) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    const std::uint64_t x = word ^ pattern;
    const std::uint64_t zero = (x - kOnes) & ~x & (kOnes << 7);
    if (zero != 0) return p + (std::countr_zero(zero) >> 3);
  }
  while (p < end && *p != c) ++p;
  return p;
}

// A field located by the structural scan, before unquoting.
struct RawField {
  char* begin;
  char* end;
  bool quoted;
};

}  // namespace

CsvReader::CsvReader(std::unique_ptr<ByteSource> source, CsvOptions options)
    : source_(std::move(source)), options_(options), buffer_(options.buffer_bytes) {
  begin_ = end_ = buffer_.data();
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(std::unique_ptr<ByteSource> source,
                                                   CsvOptions options) {
  std::unique_ptr<CsvReader> reader(new CsvReader(std::move(source), options));
  std::vector<std::string_view> header;
  Result<bool> got = reader->NextRecord(&header);
  if (!got.ok()) return got.status();
  if (!*got) {
    return Status::InvalidArgument(reader->source_->name() + ": empty file: no header row");
  }
  std::unordered_set<std::string_view> seen;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i].empty()) {
      return reader->ErrorIn(reader->record_begin_, reader->record_line_, header[i].data(),
                             "header column " + std::to_string(i + 1) + " has an empty name");
    }
    if (!seen.insert(header[i]).second) {
      return reader->ErrorIn(reader->record_begin_, reader->record_line_, header[i].data(),
                             "duplicate column name \"" + std::string(header[i]) + "\"");
    }
  }
  reader->columns_.assign(header.begin(), header.end());
  reader->expected_columns_ = reader->columns_.size();
  return reader;
}

std::string CsvReader::Position() const { return PositionAt(record_line_); }

std::string CsvReader::PositionAt(std::size_t line) const {
  return source_->name() + ":" + std::to_string(line);
}

Status CsvReader::ErrorAt(const char* where, const std::string& what) const {
  return ErrorIn(begin_, line_, where, what);
}

Status CsvReader::ErrorIn(const char* record, std::size_t line, const char* where,
                          const std::string& what) const {
  // Errors are raised while the record is still in the buffer, so `where` lies in
  // [record, end_] and the record starts at a line start.
  const char* line_start = record;
  if (where >= record && where <= end_) {
    for (const char* p = record; p < where; ++p) {
      if (*p == '\n') {
        ++line;
        line_start = p + 1;
      }
    }
  } else {
    where = record;
  }
  return Status::InvalidArgument(source_->name() + ":" + std::to_string(line) + ":" +
                                 std::to_string(where - line_start + 1) + ": " + what);
}

Status CsvReader::Utf8Check(const char* begin, const char* end) const {
  std::size_t bad = FindInvalidUtf8(begin, static_cast<std::size_t>(end - begin));
  if (bad == static_cast<std::size_t>(end - begin)) return Status::Ok();
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(begin[bad]));
  return ErrorAt(begin + bad, std::string("invalid UTF-8 (byte ") + hex + ")");
}

Status CsvReader::Refill() {
  std::size_t pending = static_cast<std::size_t>(end_ - begin_);
  if (begin_ != buffer_.data() && pending > 0) std::memmove(buffer_.data(), begin_, pending);
  if (pending == buffer_.size()) {
    if (buffer_.size() >= options_.max_record_bytes) {
      begin_ = buffer_.data();
      end_ = begin_ + pending;
      return Status::ResourceExhausted(
          ErrorAt(begin_, "record larger than " + Bytes(options_.max_record_bytes)).message());
    }
    buffer_.resize(std::min(buffer_.size() * 2, options_.max_record_bytes));
  }
  begin_ = buffer_.data();
  end_ = begin_ + pending;
  Result<std::size_t> n = source_->Read(end_, buffer_.size() - pending);
  if (!n.ok()) return n.status();
  if (*n == 0) eof_ = true;
  end_ += *n;
  return Status::Ok();
}

Result<bool> CsvReader::NextRecord(std::vector<std::string_view>* fields) {
  while (true) {
    if (at_start_) {
      if (end_ - begin_ < 3 && !eof_) {
        MODELGATE_RETURN_IF_ERROR(Refill());
        continue;
      }
      if (end_ - begin_ >= 3 && std::memcmp(begin_, "\xEF\xBB\xBF", 3) == 0) begin_ += 3;
      at_start_ = false;
    }
    Result<Scan> scan = ParseRecord(fields);
    if (!scan.ok()) return scan.status();
    if (*scan == Scan::kRecord) return true;
    if (*scan == Scan::kEnd) return false;
    MODELGATE_RETURN_IF_ERROR(Refill());
  }
}

Result<bool> CsvReader::NextRow(std::vector<std::string_view>* fields) {
  return NextRecord(fields);
}

Status CsvReader::CheckFieldCount(std::size_t count, const char* surplus,
                                  const char* record_end) const {
  if (expected_columns_ == 0 || count == expected_columns_) return Status::Ok();
  // Point at the first surplus field, or at the end of a short record.
  return ErrorAt(count > expected_columns_ ? surplus : record_end,
                 "row has " + std::to_string(count) + " fields, the header has " +
                     std::to_string(expected_columns_));
}

Result<CsvReader::Scan> CsvReader::ParseRecord(std::vector<std::string_view>* fields) {
  while (true) {
    if (begin_ == end_) return eof_ ? Scan::kEnd : Scan::kNeedMore;
    auto* nl = static_cast<char*>(std::memchr(begin_, '\n', end_ - begin_));
    if (nl == nullptr && !eof_) {
      if (static_cast<std::size_t>(end_ - begin_) > options_.max_field_bytes &&
          std::memchr(begin_, options_.delimiter, end_ - begin_) == nullptr &&
          std::memchr(begin_, '"', end_ - begin_) == nullptr) {
        return Status::ResourceExhausted(
            ErrorAt(begin_, "field larger than " + Bytes(options_.max_field_bytes)).message());
      }
      return Scan::kNeedMore;
    }
    char* line_end = nl != nullptr ? nl : end_;
    if (std::memchr(begin_, '"', line_end - begin_) != nullptr) return ParseQuotedRecord(fields);
    char* record_end = line_end;
    if (record_end > begin_ && record_end[-1] == '\r') --record_end;
    char* next = nl != nullptr ? nl + 1 : end_;
    if (record_end == begin_) {  // blank line
      begin_ = next;
      ++line_;
      continue;
    }
    MODELGATE_RETURN_IF_ERROR(Utf8Check(begin_, record_end));
    fields->clear();
    char* p = begin_;
    while (true) {
      char* q = FindByte(p, record_end, options_.delimiter);
      char* field_end = q;
      if (static_cast<std::size_t>(field_end - p) > options_.max_field_bytes) {
        return Status::ResourceExhausted(
            ErrorAt(p, "field larger than " + Bytes(options_.max_field_bytes)).message());
      }
      if (fields->size() == options_.max_columns) {
        return Status::ResourceExhausted(
            ErrorAt(p, "more than " + std::to_string(options_.max_columns) + " columns").message());
      }
      fields->emplace_back(p, field_end - p);
      if (q == record_end) break;
      p = q + 1;
    }
    MODELGATE_RETURN_IF_ERROR(CheckFieldCount(
        fields->size(),
        fields->size() > expected_columns_ ? (*fields)[expected_columns_].data() : nullptr,
        record_end));
    record_line_ = line_;
    ++line_;
    record_begin_ = begin_;
    begin_ = next;
    return Scan::kRecord;
  }
}

Result<CsvReader::Scan> CsvReader::ParseQuotedRecord(std::vector<std::string_view>* fields) {
  // Pass 1 finds the record's end and its fields without touching the buffer, so that a
  // record cut by the buffer's end can be parsed again after a refill.
  const char delimiter = options_.delimiter;
  const std::size_t raw_limit = 2 * options_.max_field_bytes + 2;
  std::vector<RawField> raw;
  char* p = begin_;
  char* record_end = nullptr;
  char* next = nullptr;
  while (record_end == nullptr) {
    if (raw.size() == options_.max_columns) {
      return Status::ResourceExhausted(
          ErrorAt(p, "more than " + std::to_string(options_.max_columns) + " columns").message());
    }
    if (p < end_ && *p == '"') {
      char* open = p++;
      while (true) {
        auto* q = static_cast<char*>(std::memchr(p, '"', end_ - p));
        if (q == nullptr || (q + 1 == end_ && !eof_)) {
          if (static_cast<std::size_t>(end_ - open) > raw_limit) {
            return Status::ResourceExhausted(
                ErrorAt(open, "field larger than " + Bytes(options_.max_field_bytes)).message());
          }
          if (eof_) return ErrorAt(open, "quoted field is not closed before the end of the file");
          return Scan::kNeedMore;
        }
        if (q + 1 < end_ && q[1] == '"') {
          p = q + 2;
          continue;
        }
        p = q + 1;
        break;
      }
      raw.push_back({open + 1, p - 1, true});
      if (p == end_) {
        if (!eof_) return Scan::kNeedMore;
        record_end = next = p;
      } else if (*p == delimiter) {
        ++p;
        if (p == end_ && eof_) raw.push_back({p, p, false});
        if (p == end_ && eof_) record_end = next = p;
      } else if (*p == '\n') {
        record_end = p;
        next = p + 1;
      } else if (*p == '\r') {
        if (p + 1 == end_ && !eof_) return Scan::kNeedMore;
        if (p + 1 == end_ || p[1] == '\n') {
          record_end = p;
          next = p + 1 == end_ ? end_ : p + 2;
        } else {
          return ErrorAt(p, "carriage return after a closing quote is not followed by a newline");
        }
      } else {
        return ErrorAt(p,
                       "unexpected character after a closing quote (a quote inside a quoted "
                       "field must be doubled)");
      }
    } else {
      char* start = p;
      while (p < end_ && *p != delimiter && *p != '\n' && *p != '"') ++p;
      if (p < end_ && *p == '"') {
        return ErrorAt(p, "quote inside an unquoted field (quote the whole field)");
      }
      if (p == end_ && !eof_) return Scan::kNeedMore;
      char* field_end = p;
      if (p == end_ || *p == '\n') {
        if (field_end > start && field_end[-1] == '\r') --field_end;
        record_end = field_end;
        next = p == end_ ? end_ : p + 1;
      } else {
        ++p;  // delimiter
      }
      raw.push_back({start, field_end, false});
      if (record_end == nullptr && p == end_ && eof_) {
        raw.push_back({p, p, false});
        record_end = next = p;
      }
    }
  }
  MODELGATE_RETURN_IF_ERROR(Utf8Check(begin_, record_end));
  if (raw.size() > expected_columns_ && expected_columns_ > 0) {
    const RawField& surplus = raw[expected_columns_];
    MODELGATE_RETURN_IF_ERROR(CheckFieldCount(
        raw.size(), surplus.quoted ? surplus.begin - 1 : surplus.begin, record_end));
  }
  MODELGATE_RETURN_IF_ERROR(CheckFieldCount(raw.size(), nullptr, record_end));
  // Pass 2: unquote in place; the unquoted text is never longer than the quoted.
  fields->clear();
  for (const RawField& field : raw) {
    if (!field.quoted) {
      if (static_cast<std::size_t>(field.end - field.begin) > options_.max_field_bytes) {
        return Status::ResourceExhausted(
            ErrorAt(field.begin, "field larger than " + Bytes(options_.max_field_bytes)).message());
      }
      fields->emplace_back(field.begin, field.end - field.begin);
      continue;
    }
    char* out = field.begin;
    for (char* in = field.begin; in < field.end; ++in) {
      *out++ = *in;
      if (*in == '"') ++in;  // the second quote of a doubled pair
    }
    if (static_cast<std::size_t>(out - field.begin) > options_.max_field_bytes) {
      return Status::ResourceExhausted(
          ErrorAt(field.begin, "field larger than " + Bytes(options_.max_field_bytes)).message());
    }
    fields->emplace_back(field.begin, out - field.begin);
  }
  std::size_t newlines = static_cast<std::size_t>(std::count(begin_, record_end, '\n'));
  record_line_ = line_;
  line_ += newlines + 1;
  record_begin_ = begin_;
  begin_ = next;
  return Scan::kRecord;
}

Status ScanCsv(const char* data, std::size_t size, const CsvOptions& options) {
  auto reader = CsvReader::Open(BorrowedByteSource(data, size, "input"), options);
  if (!reader.ok()) return reader.status();
  std::vector<std::string_view> fields;
  while (true) {
    Result<bool> got = (*reader)->NextRow(&fields);
    if (!got.ok()) return got.status();
    if (!*got) return Status::Ok();
  }
}

}  // namespace modelgate::gates
