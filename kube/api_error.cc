#include "kube/api_error.h"

#include <charconv>

namespace modelgate::kube {
namespace {

constexpr std::string_view kGoneMarker = "(410 Gone)";
constexpr std::string_view kRetryMarker = "retry after ";
constexpr size_t kMaxBodyInMessage = 512;

Status StatusFor(int code, const std::string& reason, const std::string& message,
                 std::optional<std::chrono::seconds> retry_after) {
  std::string text = message;
  if (!reason.empty())
    text += " (" + std::to_string(code) + " " + reason + ")";
  else
    text += " (HTTP " + std::to_string(code) + ")";
  switch (code) {
    case 400:
    case 422:
      return Status::InvalidArgument(text);
    case 401:
    case 403:
      return Status::PermissionDenied(text);
    case 404:
      return Status::NotFound(text);
    case 409:
      if (reason == "AlreadyExists") return Status::AlreadyExists(text);
      return Status::Conflict(text);
    case 410:
      return Status::DeadlineExceeded(text + " " + std::string(kGoneMarker));
    case 413:
      return Status::ResourceExhausted(text);
    case 504:
      return Status::DeadlineExceeded(text);
    default:
      break;
  }
  if (code == 429 || code >= 500) {
    if (retry_after)
      text += "; " + std::string(kRetryMarker) + std::to_string(retry_after->count()) + "s";
    return Status::Unavailable(text);
  }
  return Status::Internal(text);
}

}  // namespace

Status StatusFromHttp(int http_status, std::string_view body, std::string_view context,
                      std::optional<std::chrono::seconds> retry_after) {
  std::string reason;
  std::string message;
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.value("kind", "") == "Status") {
    if (parsed.contains("reason") && parsed["reason"].is_string()) reason = parsed["reason"];
    if (parsed.contains("message") && parsed["message"].is_string()) message = parsed["message"];
    if (!retry_after && parsed.contains("details") && parsed["details"].is_object()) {
      const auto& details = parsed["details"];
      if (details.contains("retryAfterSeconds") &&
          details["retryAfterSeconds"].is_number_integer()) {
        retry_after = std::chrono::seconds(details["retryAfterSeconds"].get<int64_t>());
      }
    }
  } else {
    message = std::string(body.substr(0, kMaxBodyInMessage));
    if (body.size() > kMaxBodyInMessage) message += "...";
  }
  if (message.empty()) message = "the API server answered HTTP " + std::to_string(http_status);
  return StatusFor(http_status, reason, std::string(context) + ": " + message, retry_after);
}

Status StatusFromApiStatus(const nlohmann::json& status_object, std::string_view context) {
  int code = 500;
  std::string reason;
  std::string message = "watch error";
  if (status_object.is_object()) {
    if (status_object.contains("code") && status_object["code"].is_number_integer()) {
      code = status_object["code"].get<int>();
    }
    if (status_object.contains("reason") && status_object["reason"].is_string()) {
      reason = status_object["reason"];
    }
    if (status_object.contains("message") && status_object["message"].is_string()) {
      message = status_object["message"];
    }
  }
  if (code < 400) code = 500;
  return StatusFor(code, reason, std::string(context) + ": " + message, std::nullopt);
}

Status WatchEndedStatus() { return Status::Unavailable("watch stream ended"); }

bool IsWatchEnded(const Status& status) {
  return status.code() == Status::Code::kUnavailable && status.message() == "watch stream ended";
}

bool IsGone(const Status& status) {
  return status.code() == Status::Code::kDeadlineExceeded &&
         status.message().find(kGoneMarker) != std::string::npos;
}

std::optional<std::chrono::seconds> RetryAfter(const Status& status) {
  if (status.code() != Status::Code::kUnavailable) return std::nullopt;
  const std::string& m = status.message();
  size_t at = m.rfind(kRetryMarker);
  if (at == std::string::npos) return std::nullopt;
  const char* begin = m.data() + at + kRetryMarker.size();
  int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(begin, m.data() + m.size(), seconds);
  if (ec != std::errc() || ptr == begin) return std::nullopt;
  return std::chrono::seconds(seconds);
}

}  // namespace modelgate::kube
