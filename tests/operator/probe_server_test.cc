#include "operator/probe_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <string>

namespace modelgate::op {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
namespace asio = boost::asio;

// Sends `request` raw and returns everything the server answers until it closes.
std::string Exchange(uint16_t port, const std::string& request) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  boost::system::error_code ec;
  asio::write(socket, asio::buffer(request), ec);  // may fail once the server gave up
  std::string response;
  char buffer[4096];
  for (;;) {
    size_t n = socket.read_some(asio::buffer(buffer), ec);
    response.append(buffer, n);
    if (ec) break;
  }
  return response;
}

std::unique_ptr<ProbeServer> StartServer() {
  Result<std::unique_ptr<ProbeServer>> server =
      ProbeServer::Start("127.0.0.1:0", [](const std::string& path) {
        if (path == "/healthz") return ProbeResponse{200, "text/plain", "ok\n"};
        return ProbeResponse{404, "text/plain", "not found\n"};
      });
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return server.ok() ? std::move(server).value() : nullptr;
}

TEST(ProbeServerTest, AnswersGetWithHandlerResponse) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  std::string response =
      Exchange(server->port(), "GET /healthz?verbose HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_THAT(response, StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(response, HasSubstr("\r\n\r\nok\n"));
}

TEST(ProbeServerTest, UnknownPathIs404) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  EXPECT_THAT(Exchange(server->port(), "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"),
              StartsWith("HTTP/1.1 404"));
}

TEST(ProbeServerTest, PostIsRefused) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  EXPECT_THAT(Exchange(server->port(), "POST /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
              StartsWith("HTTP/1.1 405"));
}

TEST(ProbeServerTest, OversizedHeadersAreNeverServed) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  std::string request =
      "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(16 << 10, 'a') + "\r\n\r\n";
  // The server answers 431 and closes; the client may see the reset before the answer.
  EXPECT_THAT(Exchange(server->port(), request), ::testing::Not(StartsWith("HTTP/1.1 200")));
  EXPECT_THAT(Exchange(server->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
              StartsWith("HTTP/1.1 200"));
}

TEST(ProbeServerTest, GarbageDoesNotCrash) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  Exchange(server->port(), "\x16\x03\x01 not http at all\r\n\r\n");
  EXPECT_THAT(Exchange(server->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
              StartsWith("HTTP/1.1 200"));
}

TEST(ProbeServerTest, BadAddressIsInvalidArgument) {
  auto server = ProbeServer::Start("localhost", [](const std::string&) { return ProbeResponse{}; });
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), Status::Code::kInvalidArgument);
}

TEST(ProbeServerTest, StoppingReleasesTheHandler) {
  // The pending accept once kept the server's state, and so the handler, alive forever.
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  {
    Result<std::unique_ptr<ProbeServer>> server =
        ProbeServer::Start("127.0.0.1:0", [token](const std::string&) {
          return ProbeResponse{200, "", ""};
        });
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    token.reset();
    EXPECT_THAT(Exchange((*server)->port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
                StartsWith("HTTP/1.1 200"));
  }
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace modelgate::op
