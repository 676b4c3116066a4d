#include "gates/jsonl_reader.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <utility>

#include "api/json_nesting.h"

namespace modelgate::gates {
namespace {

bool IsBlank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

JsonLinesReader::JsonLinesReader(std::unique_ptr<ByteSource> source, JsonLinesOptions options)
    : source_(std::move(source)), options_(options), buffer_(options.buffer_bytes) {}

Result<std::unique_ptr<JsonLinesReader>> JsonLinesReader::Open(std::unique_ptr<ByteSource> source,
                                                               JsonLinesOptions options) {
  std::unique_ptr<JsonLinesReader> reader(new JsonLinesReader(std::move(source), options));
  std::string_view line;
  Result<bool> got = reader->NextLine(&line);
  if (!got.ok()) return got.status();
  if (!*got) return Status::InvalidArgument(reader->source_->name() + ": empty file: no rows");
  MODELGATE_RETURN_IF_ERROR(reader->ParseObject(line, /*first=*/true));
  reader->pending_first_row_ = true;
  return reader;
}

std::string JsonLinesReader::Position() const { return PositionAt(line_); }

std::string JsonLinesReader::PositionAt(std::size_t line) const {
  return source_->name() + ":" + std::to_string(line);
}

Status JsonLinesReader::ErrorAt(std::size_t column, const std::string& what) const {
  return Status::InvalidArgument(source_->name() + ":" + std::to_string(line_) + ":" +
                                 std::to_string(column) + ": " + what);
}

Status JsonLinesReader::Refill() {
  std::size_t pending = end_ - begin_;
  if (begin_ > 0 && pending > 0) std::memmove(buffer_.data(), buffer_.data() + begin_, pending);
  begin_ = 0;
  end_ = pending;
  if (pending == buffer_.size()) {
    if (buffer_.size() > options_.max_line_bytes) {
      return Status::ResourceExhausted(source_->name() + ":" + std::to_string(line_ + 1) +
                                       ": line longer than " +
                                       std::to_string(options_.max_line_bytes) + " bytes");
    }
    buffer_.resize(std::min(buffer_.size() * 2, options_.max_line_bytes + 1));
  }
  Result<std::size_t> n = source_->Read(buffer_.data() + end_, buffer_.size() - end_);
  if (!n.ok()) return n.status();
  if (*n == 0) eof_ = true;
  end_ += *n;
  return Status::Ok();
}

Result<bool> JsonLinesReader::NextLine(std::string_view* line) {
  while (true) {
    const char* base = buffer_.data();
    const auto* nl = static_cast<const char*>(std::memchr(base + begin_, '\n', end_ - begin_));
    if (nl == nullptr && !eof_) {
      MODELGATE_RETURN_IF_ERROR(Refill());
      continue;
    }
    if (nl == nullptr && begin_ == end_) return false;
    std::size_t stop = nl != nullptr ? static_cast<std::size_t>(nl - base) : end_;
    std::string_view text(base + begin_, stop - begin_);
    begin_ = nl != nullptr ? stop + 1 : end_;
    ++line_;
    if (text.size() > options_.max_line_bytes) {
      return Status::ResourceExhausted(source_->name() + ":" + std::to_string(line_) +
                                       ": line longer than " +
                                       std::to_string(options_.max_line_bytes) + " bytes");
    }
    if (line_ == 1 && text.size() >= 3 && std::memcmp(text.data(), "\xEF\xBB\xBF", 3) == 0) {
      text.remove_prefix(3);
    }
    if (IsBlank(text)) continue;
    *line = text;
    return true;
  }
}

Status JsonLinesReader::ParseObject(std::string_view line, bool first) {
  if (static_cast<std::size_t>(JsonNestingDepth(line)) > options_.max_depth) {
    return ErrorAt(1, "nesting deeper than " + std::to_string(options_.max_depth));
  }
  // nlohmann's lexer takes a NUL for the end of the input and would read the object before it.
  if (const void* nul = std::memchr(line.data(), '\0', line.size())) {
    const auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - line.data());
    return ErrorAt(offset + 1, "invalid JSON: NUL byte");
  }
  nlohmann::ordered_json object;
  try {
    object = nlohmann::ordered_json::parse(line.begin(), line.end());
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column N: ".
    std::size_t colon = what.find(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    return ErrorAt(std::max<std::size_t>(e.byte, 1), "invalid JSON: " + what);
  } catch (const nlohmann::json::exception& e) {
    // A number beyond a double's range ("1e400") is out_of_range.406, without a position.
    std::string what = e.what();
    std::size_t bracket = what.find("] ");
    if (bracket != std::string::npos) what = what.substr(bracket + 2);
    return ErrorAt(1, "invalid JSON: " + what);
  }
  if (!object.is_object()) return ErrorAt(1, "expected a JSON object");
  if (first) {
    if (object.size() > options_.max_columns) {
      return ErrorAt(1, "more than " + std::to_string(options_.max_columns) + " keys");
    }
    for (const auto& item : object.items()) {
      column_index_.emplace(item.key(), columns_.size());
      columns_.push_back(item.key());
    }
    values_.assign(columns_.size(), std::string());
  }
  for (auto& value : values_) value.clear();
  for (const auto& item : object.items()) {
    auto it = column_index_.find(item.key());
    if (it == column_index_.end()) {
      return ErrorAt(1, "key \"" + item.key() + "\" is not among the columns of the first line");
    }
    std::string& out = values_[it->second];
    const auto& value = item.value();
    if (value.is_null()) {
      // Null is the empty view, as for CSV.
    } else if (value.is_string()) {
      out = value.get<std::string>();
    } else if (value.is_boolean()) {
      out = value.get<bool>() ? "true" : "false";
    } else if (value.is_number()) {
      out = value.dump();
    } else {
      return ErrorAt(1, "value of \"" + item.key() + "\" is an " +
                            (value.is_array() ? "array" : "object") + "; only scalars are read");
    }
  }
  return Status::Ok();
}

Result<bool> JsonLinesReader::NextRow(std::vector<std::string_view>* fields) {
  if (pending_first_row_) {
    pending_first_row_ = false;
  } else {
    std::string_view line;
    Result<bool> got = NextLine(&line);
    if (!got.ok() || !*got) return got;
    MODELGATE_RETURN_IF_ERROR(ParseObject(line, /*first=*/false));
  }
  fields->assign(values_.begin(), values_.end());
  return true;
}

Status ScanJsonLines(const char* data, std::size_t size, const JsonLinesOptions& options) {
  auto reader = JsonLinesReader::Open(BorrowedByteSource(data, size, "input"), options);
  if (!reader.ok()) return reader.status();
  std::vector<std::string_view> fields;
  while (true) {
    Result<bool> got = (*reader)->NextRow(&fields);
    if (!got.ok()) return got.status();
    if (!*got) return Status::Ok();
  }
}

}  // namespace modelgate::gates
