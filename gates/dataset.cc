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

namespace {

// Every power of ten up to 1e22 is a double without rounding.
constexpr double kExactPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// Parses the plain decimals data files are made of ("-12.345", "7"): when the digits form an
// integer of at most 2^53 and at most 22 follow the point, the value is the quotient of two
// exactly represented doubles, which IEEE division rounds correctly, so the result is
// from_chars' (Clinger's fast path) at a fraction of its cost. Returns false for anything
// else (exponents, long significands, malformed text), which from_chars then decides.
bool ParsePlainDecimal(const char* p, const char* end, double* value) {
  const bool negative = *p == '-';
  if (negative) ++p;
  std::uint64_t significand = 0;
  int digits = 0;
  const char* start = p;
  for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p, ++digits) {
    significand = significand * 10 + static_cast<unsigned>(*p - '0');
  }
  if (p == start) return false;
  int fraction = 0;
  if (p < end) {
    if (*p != '.') return false;
    const char* point = ++p;
    for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p, ++digits) {
      significand = significand * 10 + static_cast<unsigned>(*p - '0');
    }
    fraction = static_cast<int>(p - point);
    if (fraction == 0 || p != end) return false;
  }
  // 19 digits cannot overflow 64 bits; beyond 2^53 the significand would be rounded.
  if (digits > 19 || significand > (std::uint64_t{1} << 53) || fraction > 22) return false;
  const double magnitude = static_cast<double>(significand) / kExactPowersOfTen[fraction];
  *value = negative ? -magnitude : magnitude;
  return true;
}

}  // namespace

bool ParseFiniteDouble(std::string_view text, double* value) {
  if (text.empty()) return false;
  const char* begin = text.data();
  const char* end = begin + text.size();
  // from_chars rejects a leading '+', which CSV writers do emit.
  if (*begin == '+') {
    ++begin;
    if (begin == end || *begin == '-') return false;
  }
  if (ParsePlainDecimal(begin, end, value)) return true;
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
