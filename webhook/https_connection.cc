#include "webhook/https_connection.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <string_view>

namespace modelgate::webhook {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr std::size_t kReadChunk = 4096;
constexpr std::chrono::seconds kLingerTimeout{2};

constexpr std::string_view kPlainHttpResponse =
    "HTTP/1.1 400 Bad Request\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Connection: close\r\n"
    "Content-Length: 51\r\n"
    "\r\n"
    "this port speaks HTTPS; plain HTTP is not accepted\n";
static_assert(std::string_view("this port speaks HTTPS; plain HTTP is not accepted\n").size() ==
              51);

// A parse error the client caused, as opposed to the client leaving or timing out.
bool IsMalformedHttp(const beast::error_code& ec) {
  static const beast::error_category& kHttpCategory =
      beast::error_code(http::error::end_of_stream).category();
  return ec && ec.category() == kHttpCategory && ec != http::error::end_of_stream &&
         ec != http::error::partial_message;
}

}  // namespace

HttpsConnection::HttpsConnection(net::ip::tcp::socket socket,
                                 std::shared_ptr<net::ssl::context> tls, HttpsServer::State* state,
                                 uint64_t id)
    : tls_(std::move(tls)), state_(state), id_(id), stream_(std::move(socket), *tls_) {}

HttpsConnection::~HttpsConnection() {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->connections.erase(id_);
  if (state_->connections.empty()) state_->all_closed.notify_all();
}

void HttpsConnection::Start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->Tcp().expires_after(self->state_->options.handshake_timeout);
    beast::async_detect_ssl(self->Tcp(), self->buffer_,
                            beast::bind_front_handler(&HttpsConnection::OnDetect, self));
  });
}

void HttpsConnection::CloseIfIdle() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == Phase::kIdle || self->phase_ == Phase::kHandshake) self->Close();
  });
}

void HttpsConnection::OnDetect(beast::error_code ec, bool is_tls) {
  if (ec) return Close();
  if (!is_tls) return RejectPlainHttp();
  stream_.async_handshake(
      net::ssl::stream_base::server, buffer_.data(),
      beast::bind_front_handler(&HttpsConnection::OnHandshake, shared_from_this()));
}

void HttpsConnection::OnHandshake(beast::error_code ec, std::size_t used) {
  if (ec) {
    spdlog::debug("msg=\"TLS handshake failed\" error=\"{}\"", ec.message());
    return Close();
  }
  buffer_.consume(used);
  WaitForRequest();
}

void HttpsConnection::WaitForRequest() {
  phase_ = Phase::kIdle;
  if (state_->draining.load(std::memory_order_relaxed)) return Close();
  if (buffer_.size() > 0) return ReadRequest();
  Tcp().expires_after(state_->options.idle_timeout);
  stream_.async_read_some(
      buffer_.prepare(kReadChunk),
      beast::bind_front_handler(&HttpsConnection::OnFirstBytes, shared_from_this()));
}

void HttpsConnection::OnFirstBytes(beast::error_code ec, std::size_t n) {
  if (ec) return Close();
  buffer_.commit(n);
  ReadRequest();
}

void HttpsConnection::ReadRequest() {
  phase_ = Phase::kBusy;
  Tcp().expires_after(state_->options.request_timeout);
  parser_.emplace();
  parser_->body_limit(state_->options.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(state_->options.max_header_bytes));
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpsConnection::OnRead, shared_from_this()));
}

void HttpsConnection::OnRead(beast::error_code ec, std::size_t /*n*/) {
  if (ec == http::error::body_limit) {
    return Respond(413, "text/plain; charset=utf-8",
                   "request body exceeds the limit of " +
                       std::to_string(state_->options.max_body_bytes) + " bytes\n",
                   false);
  }
  if (ec == http::error::header_limit) {
    return Respond(431, "text/plain; charset=utf-8",
                   "request header exceeds the limit of " +
                       std::to_string(state_->options.max_header_bytes) + " bytes\n",
                   false);
  }
  if (IsMalformedHttp(ec)) {
    return Respond(400, "text/plain; charset=utf-8",
                   "malformed HTTP request: " + ec.message() + "\n", false);
  }
  if (ec) return Close();  // the client went away, timed out, or broke TLS

  const auto& req = parser_->get();
  HttpRequest request;
  request.method = std::string_view(req.method_string().data(), req.method_string().size());
  request.target = std::string_view(req.target().data(), req.target().size());
  if (auto it = req.find(http::field::content_type); it != req.end()) {
    request.content_type = std::string_view(it->value().data(), it->value().size());
  }
  request.body = req.body();
  const bool keep_alive = req.keep_alive() && !state_->draining.load(std::memory_order_relaxed);
  HttpResponse response;
  try {
    response = state_->handler(request);
  } catch (const std::exception& e) {
    spdlog::error("msg=\"request handler failed\" target=\"{}\" error=\"{}\"", request.target,
                  e.what());
    response = HttpResponse{500, "text/plain; charset=utf-8", "internal error\n"};
  }
  Respond(response.status, std::move(response.content_type), std::move(response.body), keep_alive);
}

void HttpsConnection::Respond(unsigned status, std::string content_type, std::string body,
                              bool keep_alive) {
  // The head and the body in one buffer: asio's TLS stream encrypts one buffer per record, so
  // a head and a body written apart would cost two records and two sends per response.
  const beast::string_view reason = http::obsolete_reason(http::int_to_status(status));
  const std::string length = std::to_string(body.size());
  response_.clear();
  response_.reserve(96 + content_type.size() + body.size());
  response_.append("HTTP/1.1 ").append(std::to_string(status)).append(" ");
  response_.append(reason.data(), reason.size()).append("\r\nContent-Type: ");
  response_.append(content_type).append("\r\nContent-Length: ").append(length).append("\r\n");
  if (!keep_alive) response_.append("Connection: close\r\n");
  response_.append("\r\n").append(body);
  Tcp().expires_after(state_->options.write_timeout);
  net::async_write(
      stream_, net::buffer(response_),
      beast::bind_front_handler(&HttpsConnection::OnWrite, shared_from_this(), keep_alive));
}

void HttpsConnection::OnWrite(bool keep_alive, beast::error_code ec, std::size_t /*n*/) {
  if (ec) return Close();
  if (!keep_alive) return Linger();
  parser_.reset();
  WaitForRequest();
}

void HttpsConnection::RejectPlainHttp() {
  phase_ = Phase::kClosing;
  Tcp().expires_after(state_->options.write_timeout);
  net::async_write(Tcp(), net::buffer(kPlainHttpResponse.data(), kPlainHttpResponse.size()),
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     if (ec) return self->Close();
                     self->Linger();
                   });
}

void HttpsConnection::Linger() {
  phase_ = Phase::kClosing;
  beast::error_code ignored;
  Tcp().socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  Tcp().expires_after(kLingerTimeout);
  drained_ = 0;
  buffer_.clear();
  DrainSome();
}

void HttpsConnection::DrainSome() {
  Tcp().async_read_some(buffer_.prepare(16 * 1024),
                        [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                          self->drained_ += n;
                          // Bounded so a client cannot keep the connection by streaming.
                          if (ec || self->drained_ > 4 * self->state_->options.max_body_bytes) {
                            return self->Close();
                          }
                          self->DrainSome();
                        });
}

void HttpsConnection::Close() {
  phase_ = Phase::kClosing;
  beast::error_code ignored;
  Tcp().socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  Tcp().close();
}

}  // namespace modelgate::webhook
