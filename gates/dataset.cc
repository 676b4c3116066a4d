#include "gates/dataset.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "gates/csv_reader.h"
#include "gates/jsonl_reader.h"

namespace modelgate::gates {

Result<DatasetFormat> ParseDatasetFormat(std::string_view text) {
  if (text == "csv") return DatasetFormat::kCsv;
  if (text == "jsonl" || text == "json-lines" || text == "ndjson") return DatasetFormat::kJsonLines;
  return Status::InvalidArgument("unknown dataset format \"" + std::string(text) +
                                 "\" (expected csv or jsonl)");
}

Result<std::unique_ptr<RowSource>> OpenDataset(std::unique_ptr<ByteSource> source,
                                               DatasetFormat format) {
  if (format == DatasetFormat::kCsv) {
    auto reader = CsvReader::Open(std::move(source));
    if (!reader.ok()) return reader.status();
    return std::unique_ptr<RowSource>(std::move(reader).value());
  }
  auto reader = JsonLinesReader::Open(std::move(source));
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<RowSource>(std::move(reader).value());
}

bool IsNullValue(std::string_view value) {
  return value.empty() || value == "NA" || value == "null";
}

bool ParseFiniteDouble(std::string_view text, double* value) {
  if (text.empty()) return false;
  const char* begin = text.data();
  const char* end = begin + text.size();
  // from_chars rejects a leading '+', which CSV writers do emit.
  if (*begin == '+') {
    ++begin;
    if (begin == end || *begin == '-') return false;
  }
  auto [ptr, ec] = std::from_chars(begin, end, *value, std::chars_format::general);
  if (ec != std::errc() || ptr != end) return false;
  return std::isfinite(*value);
}

std::size_t FindInvalidUtf8(const char* data, std::size_t size) {
  const auto* s = reinterpret_cast<const unsigned char*>(data);
  std::size_t i = 0;
  while (i < size) {
    // Eight ASCII bytes at a time: the common case for tabular data.
    if (i + 8 <= size) {
      std::uint64_t word;
      std::memcpy(&word, s + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > size) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return size;
}

}  // namespace modelgate::gates
