#include "webhook/https_connection.h"

#include <openssl/err.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/status.hpp>
#include <cerrno>
#include <cstring>
#include <exception>
#include <string_view>

namespace modelgate::webhook {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using std::chrono::steady_clock;

constexpr std::size_t kReadChunk = 4096;
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr unsigned char kTlsHandshakeRecord = 0x16;  // the first byte of every ClientHello

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

// The first error on this thread's OpenSSL error queue, which it then empties: SSL_get_error
// is only reliable when the queue was empty before the call.
std::string TakeSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return errno != 0 ? std::string(std::strerror(errno)) : "connection closed";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

}  // namespace

HttpsConnection::HttpsConnection(net::ip::tcp::socket socket,
                                 std::shared_ptr<net::ssl::context> tls, HttpsServer::State* state,
                                 uint64_t id)
    : tls_(std::move(tls)),
      state_(state),
      id_(id),
      socket_(std::move(socket)),
      timer_(socket_.get_executor()) {}

HttpsConnection::~HttpsConnection() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->connections.erase(id_);
  if (state_->connections.empty()) state_->all_closed.notify_all();
}

void HttpsConnection::Start() {
  net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->socket_.non_blocking(true, ec);
    if (ec) return self->Close();
    self->SetDeadline(self->state_->options.handshake_timeout);
    self->When(net::socket_base::wait_read, &HttpsConnection::Detect);
  });
}

void HttpsConnection::CloseIfIdle() {
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == Phase::kIdle || self->phase_ == Phase::kHandshake) self->Close();
  });
}

void HttpsConnection::When(net::socket_base::wait_type ready, Step next) {
  socket_.async_wait(ready, [self = shared_from_this(), next](boost::system::error_code ec) {
    if (self->closed_) return;
    if (ec) return self->Close();
    ((*self).*next)();
  });
}

void HttpsConnection::AfterSslFailure(int result, Step retry, const char* what) {
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ:
      return When(net::socket_base::wait_read, retry);
    case SSL_ERROR_WANT_WRITE:
      return When(net::socket_base::wait_write, retry);
    case SSL_ERROR_ZERO_RETURN:  // the client sent close_notify
      return Close();
    default:
      spdlog::debug("msg=\"TLS {} failed\" error=\"{}\"", what, TakeSslError());
      return Close();
  }
}

void HttpsConnection::SetDeadline(steady_clock::duration timeout) {
  deadline_ = steady_clock::now() + timeout;
  // A later deadline leaves the timer where it is: when it fires early, OnTimer moves it on.
  if (!timer_armed_ || deadline_ < armed_) ArmTimer();
}

void HttpsConnection::ArmTimer() {
  timer_armed_ = true;
  armed_ = deadline_;
  timer_.expires_at(deadline_);  // cancels the wait before, whose handler sees aborted
  timer_.async_wait(
      [self = shared_from_this()](boost::system::error_code ec) { self->OnTimer(ec); });
}

void HttpsConnection::OnTimer(boost::system::error_code ec) {
  if (ec == net::error::operation_aborted || closed_) return;
  timer_armed_ = false;
  if (steady_clock::now() >= deadline_) return Close();  // the phase ran out of time
  ArmTimer();
}

void HttpsConnection::Detect() {
  unsigned char first = 0;
  const ssize_t n = ::recv(socket_.native_handle(), &first, 1, MSG_PEEK);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    return When(net::socket_base::wait_read, &HttpsConnection::Detect);
  }
  if (n <= 0) return Close();
  if (first != kTlsHandshakeRecord) return RejectPlainHttp();
  ssl_ = SSL_new(tls_->native_handle());
  if (ssl_ == nullptr || SSL_set_fd(ssl_, socket_.native_handle()) != 1) {
    spdlog::warn("msg=\"cannot set up TLS for a connection\" error=\"{}\"", TakeSslError());
    return Close();
  }
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                         SSL_MODE_RELEASE_BUFFERS);
  // One read(2) per record instead of one for its 5-byte header and one for the rest; what
  // OpenSSL reads ahead is found with SSL_has_pending before waiting on the socket.
  SSL_set_read_ahead(ssl_, 1);
  SSL_set_accept_state(ssl_);
  ERR_clear_error();
  Handshake();
}

void HttpsConnection::Handshake() {
  const int result = SSL_do_handshake(ssl_);
  if (result != 1) return AfterSslFailure(result, &HttpsConnection::Handshake, "handshake");
  WaitForRequest();
}

void HttpsConnection::WaitForRequest() {
  phase_ = Phase::kIdle;
  if (state_->draining.load(std::memory_order_relaxed)) return Close();
  if (buffer_.size() > 0) return StartRequest();  // a pipelined request
  SetDeadline(state_->options.idle_timeout);
  // Bytes OpenSSL has already taken off the socket would not make it readable again.
  if (SSL_has_pending(ssl_) == 1) return ReadIdle();
  When(net::socket_base::wait_read, &HttpsConnection::ReadIdle);
}

void HttpsConnection::ReadIdle() {
  const auto space = buffer_.prepare(kReadChunk);
  const int n = SSL_read(ssl_, space.data(), static_cast<int>(space.size()));
  if (n <= 0) return AfterSslFailure(n, &HttpsConnection::ReadIdle, "read");
  buffer_.commit(static_cast<std::size_t>(n));
  StartRequest();
}

void HttpsConnection::StartRequest() {
  phase_ = Phase::kBusy;
  SetDeadline(state_->options.request_timeout);
  parser_.emplace();
  parser_->eager(true);
  parser_->body_limit(state_->options.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(state_->options.max_header_bytes));
  ReadRequest();
}

void HttpsConnection::ReadRequest() {
  for (;;) {
    if (buffer_.size() > 0) {
      beast::error_code ec;
      const std::size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec && ec != http::error::need_more) return OnParseError(ec);
      if (parser_->is_done()) return Dispatch();
      if (!ec && used > 0) continue;  // the header is in; the body may follow in the buffer
    }
    const auto space = buffer_.prepare(kReadChunk);
    const int n = SSL_read(ssl_, space.data(), static_cast<int>(space.size()));
    if (n <= 0) return AfterSslFailure(n, &HttpsConnection::ReadRequest, "read");
    buffer_.commit(static_cast<std::size_t>(n));
  }
}

void HttpsConnection::OnParseError(const beast::error_code& ec) {
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
  Close();
}

void HttpsConnection::Dispatch() {
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
  Respond(response.status, response.content_type, response.body, keep_alive);
}

void HttpsConnection::Respond(unsigned status, std::string_view content_type, std::string_view body,
                              bool keep_alive) {
  // The head and the body in one buffer, so that a small response is one TLS record and
  // one send.
  const beast::string_view reason = http::obsolete_reason(http::int_to_status(status));
  response_.clear();
  response_.reserve(96 + content_type.size() + body.size());
  response_.append("HTTP/1.1 ").append(std::to_string(status)).append(" ");
  response_.append(reason.data(), reason.size()).append("\r\nContent-Type: ");
  response_.append(content_type).append("\r\nContent-Length: ");
  response_.append(std::to_string(body.size())).append("\r\n");
  if (!keep_alive) response_.append("Connection: close\r\n");
  response_.append("\r\n").append(body);
  keep_alive_ = keep_alive;
  written_ = 0;
  SetDeadline(state_->options.write_timeout);
  WriteResponse();
}

void HttpsConnection::WriteResponse() {
  while (written_ < response_.size()) {
    const int n =
        SSL_write(ssl_, response_.data() + written_, static_cast<int>(response_.size() - written_));
    if (n <= 0) return AfterSslFailure(n, &HttpsConnection::WriteResponse, "write");
    written_ += static_cast<std::size_t>(n);
  }
  if (!keep_alive_) return Linger();
  parser_.reset();
  WaitForRequest();
}

void HttpsConnection::RejectPlainHttp() {
  phase_ = Phase::kClosing;
  SetDeadline(state_->options.write_timeout);
  written_ = 0;
  WritePlain();
}

void HttpsConnection::WritePlain() {
  while (written_ < kPlainHttpResponse.size()) {
    const ssize_t n = ::send(socket_.native_handle(), kPlainHttpResponse.data() + written_,
                             kPlainHttpResponse.size() - written_, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      return When(net::socket_base::wait_write, &HttpsConnection::WritePlain);
    }
    if (n <= 0) return Close();
    written_ += static_cast<std::size_t>(n);
  }
  Linger();
}

void HttpsConnection::Linger() {
  phase_ = Phase::kClosing;
  boost::system::error_code ignored;
  socket_.shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  SetDeadline(kLingerTimeout);
  drained_ = 0;
  buffer_.clear();
  DrainSome();
}

void HttpsConnection::DrainSome() {
  for (;;) {
    const auto space = buffer_.prepare(16 * 1024);
    const ssize_t n = ::recv(socket_.native_handle(), space.data(), space.size(), 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      return When(net::socket_base::wait_read, &HttpsConnection::DrainSome);
    }
    if (n <= 0) return Close();
    drained_ += static_cast<std::size_t>(n);
    // Bounded so a client cannot keep the connection by streaming.
    if (drained_ > 4 * state_->options.max_body_bytes) return Close();
  }
}

void HttpsConnection::Close() {
  if (closed_) return;
  closed_ = true;
  phase_ = Phase::kClosing;
  boost::system::error_code ignored;
  timer_.cancel();
  socket_.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace modelgate::webhook
