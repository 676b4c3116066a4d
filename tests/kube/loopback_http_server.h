// A minimal HTTP/1.1 server on 127.0.0.1 (port 0) for testing the REST client: one request
// per connection, canned responses, optionally a chunked body that stays open.
// Header-only: the test build compiles only *_test.cc files.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace modelgate::kube::testing {

struct HttpRequest {
  std::string method;
  std::string target;                          // path and query
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::map<std::string, std::string> headers;
  std::string body;                 // sent with Content-Length unless `chunks` is set
  std::vector<std::string> chunks;  // sent with chunked transfer encoding
  bool hold_open = false;           // after the chunks, wait until Stop() before ending
};

class LoopbackHttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  explicit LoopbackHttpServer(Handler handler);
  ~LoopbackHttpServer();  // Stop()

  // "http://127.0.0.1:<port>".
  std::string url() const;

  // The requests served so far.
  std::vector<HttpRequest> requests() const;

  // Ends held responses and stops accepting.
  void Stop();

 private:
  void AcceptLoop();
  void Serve(int fd);

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<HttpRequest> requests_;     // guarded by mu_
  std::vector<std::thread> connections_;  // guarded by mu_
  std::thread acceptor_;
};

}  // namespace modelgate::kube::testing

namespace modelgate::kube::testing {
namespace loopback_detail {

inline bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

inline std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace loopback_detail

inline LoopbackHttpServer::LoopbackHttpServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    throw std::runtime_error("loopback server: bind/listen failed");
  }
  socklen_t len = sizeof(addr);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

inline LoopbackHttpServer::~LoopbackHttpServer() { Stop(); }

inline std::string LoopbackHttpServer::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

inline std::vector<HttpRequest> LoopbackHttpServer::requests() const {
  std::lock_guard<std::mutex> guard(mu_);
  return requests_;
}

inline void LoopbackHttpServer::Stop() {
  if (stopping_.exchange(true)) return;
  {
    std::lock_guard<std::mutex> guard(mu_);
    cv_.notify_all();
  }
  if (acceptor_.joinable()) acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> connections;
  {
    std::lock_guard<std::mutex> guard(mu_);
    connections.swap(connections_);
  }
  for (auto& t : connections) t.join();
}

inline void LoopbackHttpServer::AcceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;  // re-check stopping_
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::lock_guard<std::mutex> guard(mu_);
    connections_.emplace_back([this, fd] { Serve(fd); });
  }
}

inline void LoopbackHttpServer::Serve(int fd) {
  std::string data;
  char buffer[4096];
  size_t header_end;
  while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) {
      ::close(fd);
      return;
    }
    data.append(buffer, static_cast<size_t>(n));
  }
  HttpRequest request;
  std::istringstream head(data.substr(0, header_end));
  std::string line;
  std::getline(head, line);
  std::istringstream first(line);
  first >> request.method >> request.target;
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    request.headers[loopback_detail::Lower(line.substr(0, colon))] = value;
  }
  request.body = data.substr(header_end + 4);
  size_t length =
      request.headers.count("content-length") ? std::stoul(request.headers["content-length"]) : 0;
  while (request.body.size() < length) {
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    request.body.append(buffer, static_cast<size_t>(n));
  }
  {
    std::lock_guard<std::mutex> guard(mu_);
    requests_.push_back(request);
  }
  HttpResponse response = handler_(request);
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " X\r\nConnection: close\r\n";
  for (const auto& [k, v] : response.headers) out += k + ": " + v + "\r\n";
  if (response.chunks.empty() && !response.hold_open) {
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n" + response.body;
    loopback_detail::WriteAll(fd, out);
  } else {
    out += "Transfer-Encoding: chunked\r\n\r\n";
    bool ok = loopback_detail::WriteAll(fd, out);
    for (const std::string& chunk : response.chunks) {
      std::ostringstream size;
      size << std::hex << chunk.size();
      ok = ok && loopback_detail::WriteAll(fd, size.str() + "\r\n" + chunk + "\r\n");
    }
    if (response.hold_open) {
      // Until Stop() or until the client goes away.
      while (!stopping_) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 20) > 0) {
          if (::recv(fd, buffer, sizeof(buffer), 0) <= 0) break;
        }
      }
    }
    if (ok) loopback_detail::WriteAll(fd, "0\r\n\r\n");
  }
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

}  // namespace modelgate::kube::testing
