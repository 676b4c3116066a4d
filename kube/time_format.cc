#include "kube/time_format.h"

#include <ctime>

namespace modelgate::kube {
namespace {

std::string Format(Clock::WallTime t, bool micro) {
  auto since = t.time_since_epoch();
  auto seconds = std::chrono::floor<std::chrono::seconds>(since);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since - seconds).count();
  std::time_t tt = static_cast<std::time_t>(seconds.count());
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buffer[40];
  size_t n = std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buffer, n);
  if (micro) {
    char frac[32];
    std::snprintf(frac, sizeof(frac), ".%06lld", static_cast<long long>(micros));
    out += frac;
  }
  return out + "Z";
}

}  // namespace

std::string FormatTime(Clock::WallTime t) { return Format(t, false); }
std::string FormatMicroTime(Clock::WallTime t) { return Format(t, true); }

}  // namespace modelgate::kube
