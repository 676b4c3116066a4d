// TokenSource: the bearer token for the next request. A projected service account token
// rotates on disk, so the file is read again once a minute, as client-go does.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "api/status.h"
#include "kube/clock.h"

namespace modelgate::kube {

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // The token to send, or the error that kept it from being read.
  virtual Result<std::string> Token() = 0;
};

// A token that never changes.
class StaticTokenSource final : public TokenSource {
 public:
  explicit StaticTokenSource(std::string token) : token_(std::move(token)) {}
  Result<std::string> Token() override { return token_; }

 private:
  std::string token_;
};

// A token read from a file, cached for `refresh_period`. When a re-read fails the cached
// token is kept (the old one usually still works for a while) and the error is returned
// only if no token was ever read.
class FileTokenSource final : public TokenSource {
 public:
  FileTokenSource(std::string path, const Clock& clock,
                  std::chrono::seconds refresh_period = std::chrono::seconds(60));
  Result<std::string> Token() override;

 private:
  const std::string path_;
  const Clock& clock_;
  const std::chrono::seconds refresh_period_;
  std::mutex mu_;
  std::string token_;           // guarded by mu_
  Clock::TimePoint read_at_{};  // guarded by mu_
  bool have_token_ = false;     // guarded by mu_
};

}  // namespace modelgate::kube
