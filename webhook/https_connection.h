// One TLS connection of the HttpsServer: detects plain HTTP, handshakes, reads requests
// with limits and deadlines, calls the handler, writes responses, and closes politely.
// Internal to the webhook module; users see HttpsServer.
//
// TLS runs straight on the socket's descriptor (OpenSSL reads and writes the non-blocking
// socket itself) and asio only reports readiness, so a request costs no copies between a
// TLS engine's buffers and the socket's, and no composed operations. One timer per
// connection enforces the phase's deadline; it is moved only when a deadline comes nearer.
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "webhook/https_server.h"

namespace modelgate::webhook {

class HttpsConnection;

struct HttpsServer::State {
  // REQUIRES: o.threads >= 1.
  State(HttpsServerOptions o, std::shared_ptr<ServingCertificate> c, HttpHandler h)
      : options(std::move(o)), certificate(std::move(c)), handler(std::move(h)) {
    // A concurrency hint of 1: each io_context is run by exactly one thread.
    for (int i = 0; i < options.threads; ++i) {
      contexts.push_back(std::make_unique<boost::asio::io_context>(1));
    }
    accept_context = std::make_unique<boost::asio::io_context>(1);
    acceptor.emplace(*accept_context);
  }
  // Destroys the acceptor before its io_context, and the acceptor's io_context (whose
  // queued accept holds a socket of another io_context) before the others. Destroying an
  // io_context destroys the handlers still queued, and with them the last connections,
  // which unregister themselves from `connections`, still alive here.
  ~State() {
    acceptor.reset();
    accept_context.reset();
    for (auto& context : contexts) context.reset();
  }

  const HttpsServerOptions options;
  const std::shared_ptr<ServingCertificate> certificate;
  const HttpHandler handler;
  std::atomic<bool> draining{false};

  std::mutex mu;
  std::condition_variable all_closed;  // signalled when connections becomes empty
  std::unordered_map<uint64_t, std::weak_ptr<HttpsConnection>> connections;  // guarded by mu
  uint64_t next_connection_id = 0;                                           // guarded by mu

  // One io_context per thread, each run by that thread alone: a connection lives on one of
  // them from accept to close, so its handlers never overlap and no strand is needed, and
  // the threads do not hand work to each other.
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts;
  // The acceptor runs on a context and thread of its own, so that a handler busy on a
  // connection's thread never holds up accepting the next connection (accept completions,
  // the accept back-off and Shutdown's close never overlap).
  std::unique_ptr<boost::asio::io_context> accept_context;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  size_t next_context = 0;  // only touched by accept_context's thread
};

class HttpsConnection : public std::enable_shared_from_this<HttpsConnection> {
 public:
  // REQUIRES: socket's io_context is run by one thread, which has SIGPIPE blocked (OpenSSL
  // writes to the socket with write(2)); state outlives the connection.
  HttpsConnection(boost::asio::ip::tcp::socket socket,
                  std::shared_ptr<boost::asio::ssl::context> tls, HttpsServer::State* state,
                  uint64_t id);
  ~HttpsConnection();

  // Begins serving the connection.
  void Start();

  // Closes the connection if it is not in the middle of a request (for shutdown).
  void CloseIfIdle();

 private:
  enum class Phase { kHandshake, kIdle, kBusy, kClosing };
  using Step = void (HttpsConnection::*)();

  // Runs `next` once the socket is ready to read or to write; closes the connection on error.
  void When(boost::asio::socket_base::wait_type ready, Step next);
  // Continues after an SSL call that returned `result` <= 0: waits for the socket as
  // OpenSSL asks and then runs `retry`, or closes the connection.
  void AfterSslFailure(int result, Step retry, const char* what);
  // Ends the current phase `timeout` from now.
  void SetDeadline(std::chrono::steady_clock::duration timeout);
  void ArmTimer();
  void OnTimer(boost::system::error_code ec);

  void Detect();
  void Handshake();
  void WaitForRequest();
  void ReadIdle();
  void StartRequest();
  void ReadRequest();
  void OnParseError(const boost::system::error_code& ec);
  void Dispatch();
  void Respond(unsigned status, std::string_view content_type, std::string_view body,
               bool keep_alive);
  void WriteResponse();
  void RejectPlainHttp();
  void WritePlain();
  // Half-closes and reads what the client still sends until it closes, so the response
  // is not destroyed by a reset (nginx calls this lingering close).
  void Linger();
  void DrainSome();
  void Close();

  const std::shared_ptr<boost::asio::ssl::context> tls_;  // must outlive ssl_
  HttpsServer::State* const state_;
  const uint64_t id_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::steady_clock::time_point armed_;  // when the timer fires, if timer_armed_
  bool timer_armed_ = false;
  SSL* ssl_ = nullptr;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::string response_;  // the response being written, head and body
  size_t written_ = 0;
  bool keep_alive_ = false;
  Phase phase_ = Phase::kHandshake;
  bool closed_ = false;
  std::size_t drained_ = 0;
};

}  // namespace modelgate::webhook
