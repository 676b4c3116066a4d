#include "api/duration.h"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>

namespace modelgate {
namespace {

Status BadDuration(std::string_view text, const std::string& why) {
  std::string shown(text.substr(0, kMaxDurationLength));
  return Status::InvalidArgument("invalid duration \"" + shown + "\": " + why +
                                 " (expected a Go duration such as 720h, 1h30m or 90s)");
}

// Nanoseconds per unit, or 0 when `unit` is not a Go duration unit.
int64_t UnitNanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return 1000;
  if (unit == "ms") return 1000 * 1000;
  if (unit == "s") return 1000 * 1000 * 1000;
  if (unit == "m") return int64_t{60} * 1000 * 1000 * 1000;
  if (unit == "h") return int64_t{3600} * 1000 * 1000 * 1000;
  return 0;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<std::chrono::nanoseconds> ParseGoDuration(std::string_view text) {
  if (text.empty()) return BadDuration(text, "empty");
  if (text.size() > kMaxDurationLength) return BadDuration(text, "too long");
  std::string_view s = text;
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds(0);
  if (s.empty()) return BadDuration(text, "missing number");
  // Accumulate in long double: at most 64 characters, so precision loss stays far below a
  // nanosecond for any duration that fits in int64.
  long double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && IsDigit(s[i])) ++i;
    size_t int_digits = i;
    size_t frac_digits = 0;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && IsDigit(s[i])) {
        ++i;
        ++frac_digits;
      }
    }
    if (int_digits == 0 && frac_digits == 0) return BadDuration(text, "missing number");
    long double number = std::stold(std::string(s.substr(0, i)));
    s.remove_prefix(i);
    size_t u = 0;
    while (u < s.size() && !IsDigit(s[u]) && s[u] != '.') ++u;
    if (u == 0) return BadDuration(text, "missing unit");
    int64_t nanos = UnitNanos(s.substr(0, u));
    if (nanos == 0) {
      return BadDuration(text, "unknown unit \"" + std::string(s.substr(0, u)) + "\"");
    }
    s.remove_prefix(u);
    total += number * nanos;
    if (total >= static_cast<long double>(std::numeric_limits<int64_t>::max())) {
      return BadDuration(text, "overflows");
    }
  }
  int64_t nanos = static_cast<int64_t>(std::llroundl(total));
  return std::chrono::nanoseconds(negative ? -nanos : nanos);
}

std::string FormatGoDuration(std::chrono::nanoseconds d) {
  int64_t n = d.count();
  if (n == 0) return "0s";
  bool negative = n < 0;
  // Work with the magnitude as unsigned so INT64_MIN is representable.
  uint64_t u = negative ? ~static_cast<uint64_t>(n) + 1 : static_cast<uint64_t>(n);
  std::string out;
  // Fraction digits without trailing zeros: "5" for .5, "" for .0.
  auto fraction = [](uint64_t value, int digits) {
    std::string f(digits, '0');
    for (int i = digits - 1; i >= 0; --i) {
      f[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    while (!f.empty() && f.back() == '0') f.pop_back();
    return f.empty() ? std::string() : "." + f;
  };
  if (u < 1000000000ULL) {
    // Sub-second durations use the smallest unit that keeps an integer part, as Go does.
    if (u < 1000ULL) {
      out = std::to_string(u) + "ns";
    } else if (u < 1000000ULL) {
      out = std::to_string(u / 1000) + fraction(u % 1000, 3) + "\xC2\xB5s";
    } else {
      out = std::to_string(u / 1000000) + fraction(u % 1000000, 6) + "ms";
    }
  } else {
    uint64_t seconds = u / 1000000000ULL;
    std::string sec = std::to_string(seconds % 60) + fraction(u % 1000000000ULL, 9) + "s";
    uint64_t minutes = seconds / 60;
    if (minutes == 0) {
      out = sec;
    } else {
      uint64_t hours = minutes / 60;
      out = std::to_string(minutes % 60) + "m" + sec;
      if (hours > 0) out = std::to_string(hours) + "h" + out;
    }
  }
  return negative ? "-" + out : out;
}

}  // namespace modelgate
