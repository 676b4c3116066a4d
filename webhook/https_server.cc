#include "webhook/https_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <exception>

#include "webhook/https_connection.h"

namespace modelgate::webhook {
namespace {

namespace net = boost::asio;
using net::ip::tcp;

void Accept(HttpsServer::State* state);

void OnAccept(HttpsServer::State* state, boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !state->acceptor->is_open()) return;
  if (ec) {
    // Running out of descriptors is the usual cause; back off instead of spinning.
    spdlog::warn("msg=\"accept failed\" error=\"{}\"", ec.message());
    auto timer = std::make_shared<net::steady_timer>(state->acceptor->get_executor(),
                                                     std::chrono::milliseconds(50));
    timer->async_wait([state, timer](boost::system::error_code) { Accept(state); });
    return;
  }
  uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(state->mu);
    if (state->connections.size() >= state->options.max_connections) {
      boost::system::error_code ignored;
      socket.close(ignored);
      return Accept(state);
    }
    id = ++state->next_connection_id;
  }
  auto tls = state->certificate->Current(std::chrono::steady_clock::now());
  auto connection = std::make_shared<HttpsConnection>(std::move(socket), std::move(tls), state, id);
  {
    std::lock_guard<std::mutex> lock(state->mu);
    state->connections.emplace(id, connection);
  }
  connection->Start();
  Accept(state);
}

// Accepts the next connection onto the next io_context in turn, so that connections are
// spread evenly over the threads.
void Accept(HttpsServer::State* state) {
  auto& context = *state->contexts[state->next_context++ % state->contexts.size()];
  state->acceptor->async_accept(context.get_executor(),
                                [state](boost::system::error_code ec, tcp::socket socket) {
                                  OnAccept(state, ec, std::move(socket));
                                });
}

void RunThread(net::io_context* context) {
  // OpenSSL writes to sockets with write(2): a client that has gone away must make that fail
  // with EPIPE on this thread, not kill the process. The signal is directed at the thread
  // that wrote, so blocking it here leaves the rest of the process alone.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  // Keeps run() from returning while the context has nothing queued yet; Shutdown stops it.
  const auto work = net::make_work_guard(*context);
  for (;;) {
    try {
      context->run();
      return;
    } catch (const std::exception& e) {
      // A handler threw past every guard: a bug, but the thread keeps serving.
      spdlog::error("msg=\"server thread caught exception\" error=\"{}\"", e.what());
    }
  }
}

}  // namespace

HttpsServer::HttpsServer(std::shared_ptr<State> state) : state_(std::move(state)) {}

Result<std::unique_ptr<HttpsServer>> HttpsServer::Start(
    HttpsServerOptions options, std::shared_ptr<ServingCertificate> certificate,
    HttpHandler handler) {
  const std::string where = options.address + ":" + std::to_string(options.port);
  if (options.threads < 1) options.threads = 1;
  auto state =
      std::make_shared<State>(std::move(options), std::move(certificate), std::move(handler));
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(state->options.address, ec);
  if (ec) return Status::InvalidArgument("listen address \"" + where + "\": " + ec.message());
  const tcp::endpoint endpoint(address, state->options.port);
  state->acceptor->open(endpoint.protocol(), ec);
  if (!ec) state->acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) state->acceptor->bind(endpoint, ec);
  if (!ec) state->acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Status::Unavailable("cannot listen on " + where + ": " + ec.message());

  std::unique_ptr<HttpsServer> server(new HttpsServer(state));
  server->port_ = state->acceptor->local_endpoint().port();
  Accept(state.get());
  server->threads_.reserve(state->contexts.size() + 1);
  for (auto& context : state->contexts) {
    server->threads_.emplace_back([c = context.get()] { RunThread(c); });
  }
  server->threads_.emplace_back([c = state->accept_context.get()] { RunThread(c); });
  return server;
}

HttpsServer::~HttpsServer() { Shutdown(std::chrono::milliseconds(1'000)); }

void HttpsServer::Shutdown(std::chrono::milliseconds grace) {
  if (stopped_.exchange(true)) return;
  State* state = state_.get();
  state->draining.store(true);
  net::post(state->acceptor->get_executor(), [state] {
    boost::system::error_code ignored;
    state->acceptor->close(ignored);
  });
  std::vector<std::shared_ptr<HttpsConnection>> live;
  {
    std::lock_guard<std::mutex> lock(state->mu);
    for (auto& [id, weak] : state->connections) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  for (auto& c : live) c->CloseIfIdle();
  live.clear();
  {
    std::unique_lock<std::mutex> lock(state->mu);
    state->all_closed.wait_for(lock, grace, [state] { return state->connections.empty(); });
  }
  state->accept_context->stop();
  for (auto& context : state->contexts) context->stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

size_t HttpsServer::open_connections() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->connections.size();
}

}  // namespace modelgate::webhook
