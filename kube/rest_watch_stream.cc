// cpprestsdk's U() macro breaks fmt's templates (spdlog); this build never needs it.
#define _TURN_OFF_PLATFORM_STRING
#include "kube/rest_watch_stream.h"

#include "kube/api_error.h"

namespace modelgate::kube {

RestWatchStream::RestWatchStream(std::shared_ptr<web::http::client::http_client> client,
                                 web::http::http_response response,
                                 pplx::cancellation_token_source cancel, std::string context)
    : client_(std::move(client)),
      response_(std::move(response)),
      cancel_(std::move(cancel)),
      context_(std::move(context)) {
  reader_ = std::thread([this] { ReadLoop(); });
}

RestWatchStream::~RestWatchStream() {
  Cancel();
  if (reader_.joinable()) reader_.join();
}

void RestWatchStream::Finish(Status status) {
  std::lock_guard<std::mutex> guard(mu_);
  if (!ended_) {
    ended_ = true;
    end_status_ = std::move(status);
  }
  cv_.notify_all();
}

void RestWatchStream::ReadLoop() {
  WatchDecoder decoder;
  std::vector<WatchEvent> decoded;
  std::vector<uint8_t> buffer(64 * 1024);
  try {
    auto body = response_.body().streambuf();
    while (true) {
      // Wait for one byte, then take whatever else has arrived: a watch event must not wait
      // for a full buffer.
      size_t n = body.getn(buffer.data(), 1).get();
      if (n == 0) break;
      size_t more = std::min(static_cast<size_t>(std::max<std::streamsize>(body.in_avail(), 0)),
                             buffer.size() - 1);
      if (more > 0) n += body.getn(buffer.data() + 1, more).get();
      decoded.clear();
      Status s = decoder.Feed(reinterpret_cast<const char*>(buffer.data()), n, &decoded);
      {
        std::unique_lock<std::mutex> lock(mu_);
        for (WatchEvent& e : decoded) events_.push_back(std::move(e));
        cv_.notify_all();
        cv_.wait(lock, [this] { return events_.size() < kMaxQueuedEvents || cancelled_; });
        if (cancelled_) break;
      }
      if (!s.ok()) {
        Finish(s.WithContext(context_));
        cancel_.cancel();
        return;
      }
    }
    decoded.clear();
    Status s = decoder.Finish(&decoded);
    std::lock_guard<std::mutex> guard(mu_);
    for (WatchEvent& e : decoded) events_.push_back(std::move(e));
    if (!s.ok() && !cancelled_) {
      ended_ = true;
      end_status_ = s.WithContext(context_);
      cv_.notify_all();
      return;
    }
  } catch (const std::exception& e) {
    bool cancelled;
    {
      std::lock_guard<std::mutex> guard(mu_);
      cancelled = cancelled_;
    }
    if (!cancelled) {
      Finish(Status::Unavailable(context_ + ": reading the watch stream: " + e.what()));
      return;
    }
  }
  Finish(WatchEndedStatus());
}

Result<std::optional<WatchEvent>> RestWatchStream::Next(
    std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_until(lock, deadline, [this] { return !events_.empty() || ended_; });
  if (!events_.empty()) {
    WatchEvent event = std::move(events_.front());
    events_.pop_front();
    cv_.notify_all();  // the reader may wait for room
    return std::optional<WatchEvent>(std::move(event));
  }
  if (ended_) return end_status_;
  return std::optional<WatchEvent>();
}

void RestWatchStream::Cancel() {
  {
    std::lock_guard<std::mutex> guard(mu_);
    if (cancelled_) return;
    cancelled_ = true;
    events_.clear();
    if (!ended_) {
      ended_ = true;
      end_status_ = WatchEndedStatus();
    }
    cv_.notify_all();
  }
  cancel_.cancel();
}

}  // namespace modelgate::kube
