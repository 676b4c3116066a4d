// One TLS connection of the HttpsServer: detects plain HTTP, handshakes, reads requests
// with limits and deadlines, calls the handler, writes responses, and closes politely.
// Internal to the webhook module; users see HttpsServer.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
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
  // REQUIRES: socket's io_context is run by one thread; state outlives the connection.
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
  using Stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  boost::beast::tcp_stream& Tcp() { return boost::beast::get_lowest_layer(stream_); }

  void OnDetect(boost::beast::error_code ec, bool is_tls);
  void OnHandshake(boost::beast::error_code ec, std::size_t used);
  void WaitForRequest();
  void OnFirstBytes(boost::beast::error_code ec, std::size_t n);
  void ReadRequest();
  void OnRead(boost::beast::error_code ec, std::size_t n);
  void Respond(unsigned status, std::string content_type, std::string body, bool keep_alive);
  void OnWrite(bool keep_alive, boost::beast::error_code ec, std::size_t n);
  void RejectPlainHttp();
  // Half-closes and reads what the client still sends until it closes, so the response
  // is not destroyed by a reset (nginx calls this lingering close).
  void Linger();
  void DrainSome();
  void Close();

  const std::shared_ptr<boost::asio::ssl::context> tls_;  // must outlive stream_
  HttpsServer::State* const state_;
  const uint64_t id_;
  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::string response_;  // the response being written, head and body
  Phase phase_ = Phase::kHandshake;
  std::size_t drained_ = 0;
};

}  // namespace modelgate::webhook
