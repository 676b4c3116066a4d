#include "api/timestamp.h"

#include <cctype>
#include <cstdio>

namespace modelgate {
namespace {

// Reads exactly `n` digits at `pos`; returns -1 when they are not all digits.
int Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

Status BadTimestamp(std::string_view text) {
  std::string shown(text.substr(0, 64));
  return Status::InvalidArgument(
      "must be an RFC 3339 date-time such as 2026-01-02T15:04:05Z, got \"" + shown + "\"");
}

}  // namespace

Result<Timestamp> ParseTimestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  if (text.size() < 20 || text.size() > 40) return BadTimestamp(text);
  int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
  int hour = Digits(text, 11, 2), minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || text[4] != '-' ||
      text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return BadTimestamp(text);
  }
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start) return BadTimestamp(text);
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = Digits(text, pos + 1, 2), om = Digits(text, pos + 4, 2);
    if (oh < 0 || om < 0 || pos + 3 >= text.size() || text[pos + 3] != ':' || oh > 23 || om > 59) {
      return BadTimestamp(text);
    }
    offset_minutes = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return BadTimestamp(text);
  }
  if (pos != text.size()) return BadTimestamp(text);
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                  std::chrono::day(day)};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return BadTimestamp(text);
  // A leap second (:60) is folded into the next second, as Go does.
  std::chrono::sys_seconds t = std::chrono::sys_days(ymd) + std::chrono::hours(hour) +
                               std::chrono::minutes(minute) + std::chrono::seconds(second);
  return t - std::chrono::minutes(offset_minutes);
}

std::string FormatTimestamp(Timestamp t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{days};
  std::chrono::hh_mm_ss<std::chrono::seconds> hms{t - days};
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace modelgate
