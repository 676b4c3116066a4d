// A tiny HTTP/1.1 server on 127.0.0.1:0 for the serving-side tests: each request is answered
// by a script (a function of the request), which can also drop the connection or stall.
// Keep-alive, a thread per connection; Stop() wakes every blocked thread.
#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace modelgate::gates::testing {

struct ScriptedRequest {
  std::string method;
  std::string target;
  std::string body;
};

struct ScriptedAnswer {
  enum class Action { kRespond, kDrop, kStall };
  Action action = Action::kRespond;
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::chrono::milliseconds delay{0};  // before answering

  static ScriptedAnswer Respond(int status, std::string body,
                                std::chrono::milliseconds delay = std::chrono::milliseconds(0)) {
    ScriptedAnswer answer;
    answer.status = status;
    answer.body = std::move(body);
    answer.delay = delay;
    return answer;
  }
  static ScriptedAnswer Drop() {
    ScriptedAnswer answer;
    answer.action = Action::kDrop;
    return answer;
  }
  static ScriptedAnswer Stall() {
    ScriptedAnswer answer;
    answer.action = Action::kStall;
    return answer;
  }
};

class ScriptedServer {
 public:
  using Script = std::function<ScriptedAnswer(const ScriptedRequest&)>;

  explicit ScriptedServer(Script script)
      : script_(std::move(script)),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    port_ = acceptor_.local_endpoint().port();
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~ScriptedServer() { Stop(); }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Every request received so far.
  std::vector<ScriptedRequest> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

  // How many connections were accepted so far.
  std::size_t connections() {
    std::lock_guard<std::mutex> lock(mu_);
    return sockets_.size();
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      stopping_ = true;
      for (auto& socket : sockets_) {
        boost::system::error_code ignored;
        socket->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
      }
    }
    stopped_.notify_all();
    // Wakes the blocking accept.
    boost::system::error_code ignored;
    boost::asio::ip::tcp::socket waker(io_);
    waker.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)},
                  ignored);
    accept_thread_.join();
    for (auto& thread : connection_threads_) thread.join();
  }

 private:
  void AcceptLoop() {
    while (true) {
      auto socket = std::make_shared<boost::asio::ip::tcp::socket>(io_);
      boost::system::error_code ec;
      acceptor_.accept(*socket, ec);
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      if (ec) continue;
      sockets_.push_back(socket);
      connection_threads_.emplace_back([this, socket] { Serve(*socket); });
    }
  }

  void Serve(boost::asio::ip::tcp::socket& socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    while (true) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(256 << 20);
      boost::system::error_code ec;
      http::read(socket, buffer, parser, ec);
      if (ec) return;
      const auto& request = parser.get();
      ScriptedRequest seen{std::string(request.method_string()), std::string(request.target()),
                           request.body()};
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(seen);
      }
      ScriptedAnswer answer = script_(seen);
      if (answer.delay.count() > 0 || answer.action == ScriptedAnswer::Action::kStall) {
        std::unique_lock<std::mutex> lock(mu_);
        if (answer.action == ScriptedAnswer::Action::kStall) {
          stopped_.wait(lock, [this] { return stopping_; });
          return;
        }
        // Simulates a slow model; returns early when the server stops.
        stopped_.wait_for(lock, answer.delay, [this] { return stopping_; });
      }
      if (answer.action == ScriptedAnswer::Action::kDrop) {
        socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
        socket.close(ec);
        return;
      }
      http::response<http::string_body> response{static_cast<http::status>(answer.status),
                                                 request.version()};
      response.set(http::field::content_type, answer.content_type);
      response.keep_alive(request.keep_alive());
      response.body() = answer.body;
      response.prepare_payload();
      http::write(socket, response, ec);
      if (ec || !request.keep_alive()) return;
    }
  }

  Script script_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::thread accept_thread_;
  std::mutex mu_;
  std::condition_variable stopped_;
  bool stopping_ = false;                                             // guarded by mu_
  std::list<std::shared_ptr<boost::asio::ip::tcp::socket>> sockets_;  // guarded by mu_
  std::vector<ScriptedRequest> requests_;                             // guarded by mu_
  std::list<std::thread> connection_threads_;  // appended by the accept thread only
};

}  // namespace modelgate::gates::testing
