#include "webhook/admission_metrics.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace modelgate::webhook {
namespace {

constexpr char kSeparator = '\x1f';

std::string EscapeLabel(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatDouble(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

}  // namespace

std::string AdmissionMetrics::SeriesKey(std::string_view kind, std::string_view operation,
                                        std::string_view decision) {
  std::string key;
  key.reserve(kind.size() + operation.size() + decision.size() + 2);
  key.append(kind).append(1, kSeparator).append(operation).append(1, kSeparator).append(decision);
  return key;
}

void AdmissionMetrics::Record(std::string_view kind, std::string_view operation,
                              std::string_view decision, std::chrono::nanoseconds latency) {
  std::string key = SeriesKey(kind, operation, decision);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = requests_.find(key);
    if (it == requests_.end() && requests_.size() >= kMaxSeries) {
      it = requests_.try_emplace(SeriesKey("other", "other", decision), 0).first;
    } else if (it == requests_.end()) {
      it = requests_.emplace(std::move(key), 0).first;
    }
    ++it->second;
  }
  const double seconds = std::chrono::duration<double>(latency).count();
  const size_t bucket = std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds) -
                        kLatencyBuckets.begin();
  latency_counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_sum_ns_.fetch_add(static_cast<uint64_t>(std::max<int64_t>(0, latency.count())),
                            std::memory_order_relaxed);
}

uint64_t AdmissionMetrics::RequestCount(std::string_view kind, std::string_view operation,
                                        std::string_view decision) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = requests_.find(SeriesKey(kind, operation, decision));
  return it == requests_.end() ? 0 : it->second;
}

std::string AdmissionMetrics::RenderPrometheus() const {
  std::map<std::string, uint64_t> sorted;
  {
    std::lock_guard<std::mutex> lock(mu_);
    sorted.insert(requests_.begin(), requests_.end());
  }
  std::string out =
      "# HELP modelgate_admission_requests_total Admission requests answered, by workload kind, "
      "operation and decision.\n"
      "# TYPE modelgate_admission_requests_total counter\n";
  for (const auto& [key, count] : sorted) {
    const size_t a = key.find(kSeparator);
    const size_t b = key.find(kSeparator, a + 1);
    out += "modelgate_admission_requests_total{kind=\"" + EscapeLabel(key.substr(0, a)) +
           "\",operation=\"" + EscapeLabel(key.substr(a + 1, b - a - 1)) + "\",decision=\"" +
           EscapeLabel(key.substr(b + 1)) + "\"} " + std::to_string(count) + "\n";
  }
  out +=
      "# HELP modelgate_admission_duration_seconds Time to decide an admission request, from the "
      "parsed request to the serialised response.\n"
      "# TYPE modelgate_admission_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < latency_counts_.size(); ++i) {
    cumulative += latency_counts_[i].load(std::memory_order_relaxed);
    const std::string le = i < kLatencyBuckets.size() ? FormatDouble(kLatencyBuckets[i]) : "+Inf";
    out += "modelgate_admission_duration_seconds_bucket{le=\"" + le + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  out += "modelgate_admission_duration_seconds_sum " +
         FormatDouble(static_cast<double>(latency_sum_ns_.load(std::memory_order_relaxed)) / 1e9) +
         "\n";
  out += "modelgate_admission_duration_seconds_count " + std::to_string(cumulative) + "\n";
  return out;
}

}  // namespace modelgate::webhook
