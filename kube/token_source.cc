#include "kube/token_source.h"

#include "kube/config.h"

namespace modelgate::kube {
namespace {

std::string Trim(std::string s) {
  size_t end = s.find_last_not_of(" \t\r\n");
  s.erase(end == std::string::npos ? 0 : end + 1);
  size_t begin = s.find_first_not_of(" \t\r\n");
  return begin == std::string::npos ? std::string() : s.substr(begin);
}

}  // namespace

FileTokenSource::FileTokenSource(std::string path, const Clock& clock,
                                 std::chrono::seconds refresh_period)
    : path_(std::move(path)), clock_(clock), refresh_period_(refresh_period) {}

Result<std::string> FileTokenSource::Token() {
  std::lock_guard<std::mutex> guard(mu_);
  Clock::TimePoint now = clock_.Now();
  if (have_token_ && now - read_at_ < refresh_period_) return token_;
  Result<std::string> content = ReadBoundedFile(path_, kMaxCredentialFileBytes);
  if (!content.ok()) {
    if (have_token_) return token_;
    return content.status().WithContext("bearer token file");
  }
  std::string token = Trim(std::move(content).value());
  if (token.empty()) {
    if (have_token_) return token_;
    return Status::InvalidArgument(path_ + ": bearer token file is empty");
  }
  token_ = std::move(token);
  read_at_ = now;
  have_token_ = true;
  return token_;
}

}  // namespace modelgate::kube
