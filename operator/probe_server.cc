#include "operator/probe_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

namespace modelgate::op {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct ProbeServer::State {
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  ProbeHandler handler;
};

namespace {

constexpr size_t kMaxHeaderBytes = 8 << 10;
constexpr std::chrono::seconds kRequestTimeout{5};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, std::shared_ptr<ProbeServer::State> state)
      : stream_(std::move(socket)), state_(std::move(state)) {}

  void Start() {
    parser_.header_limit(kMaxHeaderBytes);
    parser_.body_limit(0);
    stream_.expires_after(kRequestTimeout);
    http::async_read(
        stream_, buffer_, parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

 private:
  void OnRead(beast::error_code ec) {
    if (ec == http::error::header_limit || ec == http::error::body_limit) {
      Respond({431, "text/plain; charset=utf-8", "request too large\n"}, 11);
      return;
    }
    if (ec) return;  // timeout, reset or garbage: just close
    const auto& request = parser_.get();
    const unsigned version = request.version();
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
      Respond({405, "text/plain; charset=utf-8", "only GET\n"}, version);
      return;
    }
    std::string target(request.target());
    std::string path = target.substr(0, target.find('?'));
    ProbeResponse response;
    try {
      response = state_->handler(path);
    } catch (const std::exception&) {
      response = {500, "text/plain; charset=utf-8", "internal error\n"};
    }
    Respond(std::move(response), version);
  }

  void Respond(ProbeResponse response, unsigned version) {
    response_.version(version);
    response_.result(response.status);
    response_.set(http::field::content_type, response.content_type);
    response_.set(http::field::connection, "close");
    response_.body() = std::move(response.body);
    response_.prepare_payload();
    stream_.expires_after(kRequestTimeout);
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code, size_t) {
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    });
  }

  beast::tcp_stream stream_;
  std::shared_ptr<ProbeServer::State> state_;
  beast::flat_buffer buffer_;
  http::request_parser<http::empty_body> parser_;
  http::response<http::string_body> response_;
};

void Accept(std::shared_ptr<ProbeServer::State> state) {
  state->acceptor.async_accept([state](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !state->acceptor.is_open()) return;
    if (!ec) std::make_shared<Connection>(std::move(socket), state)->Start();
    Accept(state);
  });
}

}  // namespace

Result<std::unique_ptr<ProbeServer>> ProbeServer::Start(const std::string& address,
                                                        ProbeHandler handler) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return Status::InvalidArgument("bind address \"" + address + "\": expected host:port");
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  int port = -1;
  try {
    size_t used = 0;
    port = std::stoi(address.substr(colon + 1), &used);
    if (used != address.size() - colon - 1) port = -1;
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    return Status::InvalidArgument("bind address \"" + address + "\": bad port");
  }
  beast::error_code ec;
  asio::ip::address ip = asio::ip::make_address(host, ec);
  if (ec) return Status::InvalidArgument("bind address \"" + address + "\": bad IP address");

  auto state = std::make_shared<State>();
  state->handler = std::move(handler);
  tcp::endpoint endpoint(ip, static_cast<uint16_t>(port));
  state->acceptor.open(endpoint.protocol(), ec);
  if (!ec) state->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) state->acceptor.bind(endpoint, ec);
  if (!ec) state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::Unavailable("listening on " + address + ": " + ec.message());
  const uint16_t bound = state->acceptor.local_endpoint().port();
  Accept(state);
  std::unique_ptr<ProbeServer> server(new ProbeServer(state, bound));
  return server;
}

ProbeServer::ProbeServer(std::shared_ptr<State> state, uint16_t port)
    : state_(std::move(state)), port_(port) {
  thread_ = std::thread([state = state_] { state->io.run(); });
}

ProbeServer::~ProbeServer() { Stop(); }

void ProbeServer::Stop() {
  if (!thread_.joinable()) return;
  asio::post(state_->io, [state = state_] {
    beast::error_code ignored;
    state->acceptor.close(ignored);
  });
  state_->io.stop();
  thread_.join();
  // The pending accept's handler holds the State, which holds the io_context that holds the
  // handler: close the acceptor and run what that made ready, so the cycle ends and the State
  // is freed (a connection still open at this moment keeps it until its own timeout).
  beast::error_code ignored;
  state_->acceptor.close(ignored);
  state_->io.restart();
  state_->io.poll();
}

}  // namespace modelgate::op
