// RestWatchStream: a WatchStream over the chunked body of a watch response. A reader thread
// decodes the body as it arrives and queues events for Next.
#pragma once

#include <cpprest/http_client.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "kube/client.h"
#include "kube/watch_decoder.h"

namespace modelgate::kube {

class RestWatchStream final : public WatchStream {
 public:
  // Events beyond this many unread ones stop the reader until Next catches up.
  static constexpr size_t kMaxQueuedEvents = 10000;

  // Takes over a 200 response whose body is the watch stream. `client` is the connection's
  // http_client, kept alive while the body is read; `cancel` aborts the request.
  RestWatchStream(std::shared_ptr<web::http::client::http_client> client,
                  web::http::http_response response, pplx::cancellation_token_source cancel,
                  std::string context);
  ~RestWatchStream() override;

  Result<std::optional<WatchEvent>> Next(std::chrono::steady_clock::time_point deadline) override;
  void Cancel() override;

 private:
  void ReadLoop();
  void Finish(Status status);

  std::shared_ptr<web::http::client::http_client> client_;
  web::http::http_response response_;
  pplx::cancellation_token_source cancel_;
  const std::string context_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WatchEvent> events_;  // guarded by mu_
  bool ended_ = false;             // guarded by mu_
  bool cancelled_ = false;         // guarded by mu_
  Status end_status_;              // guarded by mu_
  std::thread reader_;
};

}  // namespace modelgate::kube
