#include "gates/stress_load.h"

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>
#include <utility>

namespace modelgate::gates {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxErrorSamples = 10;
constexpr std::uint64_t kMaxAnswerBytes = 64 << 20;
// After a failed connect, a pause before the next attempt, so a refused port does not turn
// the generator into a busy loop.
constexpr std::chrono::milliseconds kReconnectPause{10};

// What every connection of a run shares: the request, the schedule and the bounds.
struct RunPlan {
  tcp::endpoint endpoint;
  std::string raw_request;
  LoadProfile profile;
  Clock::time_point start;
  Clock::time_point stop_issuing;
  std::atomic<std::int64_t> issued{0};

  // Takes one request from the count bound; false when the run's count is used up.
  bool ClaimRequest() {
    if (profile.max_requests <= 0) {
      issued.fetch_add(1, std::memory_order_relaxed);
      return true;
    }
    return issued.fetch_add(1, std::memory_order_relaxed) < profile.max_requests;
  }
};

void AddErrorSample(LoadReport& report, std::string sample) {
  if (report.error_samples.size() < kMaxErrorSamples) {
    report.error_samples.push_back(std::move(sample));
  }
}

// One keep-alive connection, driven entirely by completion handlers on one io_context.
class Connection {
 public:
  Connection(asio::io_context& io, RunPlan& plan, LoadReport& report, int index)
      : socket_(io), pace_(io), deadline_(io), plan_(plan), report_(report) {
    if (plan_.profile.loop == LoadLoop::kOpen) {
      const double connections = plan_.profile.connections;
      interval_ = std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(connections / plan_.profile.requests_per_second));
      next_due_ = plan_.start +
                  std::chrono::duration_cast<Clock::duration>(
                      std::chrono::duration<double>(index / plan_.profile.requests_per_second));
    }
  }

  void Start() { ScheduleNext(); }

 private:
  void ScheduleNext() {
    const Clock::time_point now = Clock::now();
    if (now >= plan_.stop_issuing) return Finish();
    if (plan_.profile.loop == LoadLoop::kClosed) {
      if (!plan_.ClaimRequest()) return Finish();
      due_ = now;
      return Send();
    }
    due_ = next_due_;
    if (due_ >= plan_.stop_issuing || !plan_.ClaimRequest()) return Finish();
    next_due_ += interval_;
    if (due_ <= now) return Send();
    pace_.expires_at(due_);
    pace_.async_wait([this](beast::error_code ec) {
      if (!ec) Send();
    });
  }

  void Send() {
    ++report_.requests;
    ++sequence_;
    in_flight_ = true;
    timed_out_ = false;
    deadline_.expires_after(plan_.profile.request_timeout);
    deadline_.async_wait([this, sequence = sequence_](beast::error_code ec) {
      if (ec || !in_flight_ || sequence != sequence_) return;
      timed_out_ = true;
      beast::error_code ignored;
      socket_.close(ignored);
    });
    if (socket_.is_open()) return Write();
    socket_.async_connect(plan_.endpoint, [this](beast::error_code ec) {
      if (ec) return Fail(ec, "connect", /*pause=*/true);
      beast::error_code ignored;
      socket_.set_option(tcp::no_delay(true), ignored);
      Write();
    });
  }

  void Write() {
    asio::async_write(socket_, asio::buffer(plan_.raw_request),
                      [this](beast::error_code ec, std::size_t) {
                        if (ec) return Fail(ec, "write", false);
                        Read();
                      });
  }

  void Read() {
    parser_.emplace();
    parser_->body_limit(kMaxAnswerBytes);
    http::async_read(socket_, buffer_, *parser_, [this](beast::error_code ec, std::size_t) {
      if (ec) return Fail(ec, "read", false);
      OnAnswer();
    });
  }

  void OnAnswer() {
    in_flight_ = false;
    deadline_.cancel();
    report_.latency.Record(Clock::now() - due_);
    const unsigned status = parser_->get().result_int();
    if (status / 100 == 2) {
      ++report_.succeeded;
    } else {
      ++report_.http_errors;
      AddErrorSample(report_, "HTTP " + std::to_string(status));
    }
    if (!parser_->get().keep_alive()) Close();
    ScheduleNext();
  }

  void Fail(beast::error_code ec, const char* step, bool pause) {
    in_flight_ = false;
    deadline_.cancel();
    if (timed_out_) {
      ++report_.timeouts;
      AddErrorSample(report_, "timed out after " +
                                  std::to_string(plan_.profile.request_timeout.count()) + " ms");
    } else {
      ++report_.connection_errors;
      AddErrorSample(report_, std::string(step) + ": " + ec.message());
    }
    Close();
    if (!pause) return ScheduleNext();
    pace_.expires_after(kReconnectPause);
    pace_.async_wait([this](beast::error_code wait_error) {
      if (!wait_error) ScheduleNext();
    });
  }

  void Close() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    buffer_.clear();
  }

  void Finish() {
    Close();
    pace_.cancel();
    deadline_.cancel();
  }

  tcp::socket socket_;
  asio::steady_timer pace_;      // open-loop pacing and reconnect pauses
  asio::steady_timer deadline_;  // the per-request timeout
  RunPlan& plan_;
  LoadReport& report_;  // this connection's thread's partial report
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Clock::duration interval_{};
  Clock::time_point next_due_;
  Clock::time_point due_;  // when the current request was due: latency counts from here
  std::uint64_t sequence_ = 0;
  bool in_flight_ = false;
  bool timed_out_ = false;
};

Status CheckProfile(const LoadProfile& profile) {
  if (profile.connections < 1) {
    return Status::InvalidArgument("stress.connections must be at least 1");
  }
  if (profile.threads < 1) return Status::InvalidArgument("stress.threads must be at least 1");
  if (profile.duration.count() <= 0) {
    return Status::InvalidArgument("stress.duration must be positive");
  }
  if (profile.request_timeout.count() <= 0) {
    return Status::InvalidArgument("stress.requestTimeout must be positive");
  }
  if (profile.loop == LoadLoop::kOpen && !(profile.requests_per_second > 0)) {
    return Status::InvalidArgument("stress.rate must be positive for an open-loop run");
  }
  return Status::Ok();
}

Result<std::string> SerializeRequest(const StressTarget& target) {
  const http::verb verb = http::string_to_verb(target.method);
  if (verb == http::verb::unknown) {
    return Status::InvalidArgument("stress request method \"" + target.method +
                                   "\" is not an HTTP method");
  }
  http::request<http::string_body> request{verb, target.path, 11};
  request.set(http::field::host, target.host + ":" + std::to_string(target.port));
  request.set(http::field::user_agent, "modelgate-stress");
  if (!target.body.empty()) request.set(http::field::content_type, target.content_type);
  request.body() = target.body;
  request.keep_alive(true);
  request.prepare_payload();
  std::ostringstream out;
  out << request;
  return out.str();
}

}  // namespace

double LoadReport::error_rate() const {
  const std::int64_t finished = completed();
  if (finished == 0) return 0;
  return static_cast<double>(finished - succeeded) / static_cast<double>(finished);
}

double LoadReport::throughput() const {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  return seconds > 0 ? static_cast<double>(completed()) / seconds : 0;
}

Result<LoadReport> RunLoad(const StressTarget& target, const LoadProfile& profile) {
  MODELGATE_RETURN_IF_ERROR(CheckProfile(profile));
  if (target.port < 1 || target.port > 65535) {
    return Status::InvalidArgument("stress target port " + std::to_string(target.port) +
                                   " is out of range");
  }
  Result<std::string> raw = SerializeRequest(target);
  if (!raw.ok()) return raw.status();

  RunPlan plan;
  plan.raw_request = std::move(raw).value();
  plan.profile = profile;
  {
    asio::io_context resolver_io;
    tcp::resolver resolver(resolver_io);
    beast::error_code ec;
    auto endpoints = resolver.resolve(target.host, std::to_string(target.port), ec);
    if (ec || endpoints.empty()) {
      return Status::Unavailable("stress target host \"" + target.host +
                                 "\" does not resolve: " + ec.message());
    }
    plan.endpoint = endpoints.begin()->endpoint();
  }

  const int threads = std::min(profile.threads, profile.connections);
  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::vector<LoadReport> partials(static_cast<std::size_t>(threads));
  std::vector<std::unique_ptr<Connection>> connections;
  for (int t = 0; t < threads; ++t) loops.push_back(std::make_unique<asio::io_context>(1));
  plan.start = Clock::now();
  plan.stop_issuing = plan.start + profile.duration;
  for (int c = 0; c < profile.connections; ++c) {
    const auto t = static_cast<std::size_t>(c % threads);
    connections.push_back(std::make_unique<Connection>(*loops[t], plan, partials[t], c));
  }
  for (auto& connection : connections) connection->Start();

  std::vector<std::thread> runners;
  for (int t = 1; t < threads; ++t) {
    runners.emplace_back([&loops, t] { loops[static_cast<std::size_t>(t)]->run(); });
  }
  loops[0]->run();
  for (auto& runner : runners) runner.join();

  LoadReport report = std::move(partials[0]);
  report.elapsed = Clock::now() - plan.start;
  for (std::size_t t = 1; t < partials.size(); ++t) {
    MODELGATE_RETURN_IF_ERROR(report.latency.Merge(partials[t].latency));
    report.requests += partials[t].requests;
    report.succeeded += partials[t].succeeded;
    report.http_errors += partials[t].http_errors;
    report.timeouts += partials[t].timeouts;
    report.connection_errors += partials[t].connection_errors;
    for (auto& sample : partials[t].error_samples) AddErrorSample(report, std::move(sample));
  }
  return report;
}

}  // namespace modelgate::gates
