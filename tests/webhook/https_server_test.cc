#include "webhook/https_server.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/read.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "tests/webhook/tls_test_support.h"

namespace modelgate::webhook {
namespace {

namespace http = boost::beast::http;
namespace net = boost::asio;
using testing::ClientOptions;
using testing::HttpsTestClient;

HttpResponse EchoHandler(const HttpRequest& req) {
  if (TargetPath(req.target) == "/throw") throw std::runtime_error("boom");
  if (TargetPath(req.target) == "/big")
    return HttpResponse{200, "text/plain", std::string(16 << 20, 'b')};
  return HttpResponse{200, "text/plain",
                      std::string(req.method) + " " + std::string(TargetPath(req.target)) + " " +
                          std::to_string(req.body.size())};
}

class HttpsServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(HttpsServerOptions{}); }

  void StartServer(HttpsServerOptions options) {
    server_.reset();
    testing::WriteSelfSignedCertificate("first", cert_file_, key_file_);
    auto cert = ServingCertificate::Load(cert_file_, key_file_, std::chrono::seconds(0));
    ASSERT_TRUE(cert.ok()) << cert.status().ToString();
    certificate_ = std::move(cert).value();
    options.address = "127.0.0.1";
    options.port = 0;
    auto server = HttpsServer::Start(options, certificate_, EchoHandler);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }

  // Sends raw bytes over plain TCP and returns everything the server sends back until it
  // closes the connection.
  std::string RawExchange(const std::string& bytes) {
    net::io_context ioc;
    boost::beast::tcp_stream tcp(ioc);
    tcp.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
    tcp.expires_after(std::chrono::seconds(10));
    net::write(tcp, net::buffer(bytes));
    std::string out;
    boost::beast::error_code ec;
    char buf[4096];
    for (;;) {
      size_t n = tcp.read_some(net::buffer(buf), ec);
      out.append(buf, n);
      if (ec) break;
    }
    return out;
  }

  testing::TempDir dir_;
  std::string cert_file_ = dir_.File("tls.crt");
  std::string key_file_ = dir_.File("tls.key");
  std::shared_ptr<ServingCertificate> certificate_;
  std::unique_ptr<HttpsServer> server_;
};

TEST_F(HttpsServerTest, ServesRequestOverTls13) {
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  auto res = client.Send("GET", "/healthz");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "GET /healthz 0");
  EXPECT_STREQ(client.ProtocolVersion(), "TLSv1.3");
}

TEST_F(HttpsServerTest, AcceptsTls12) {
  HttpsTestClient client(server_->port(), ClientOptions{TLS1_2_VERSION, TLS1_2_VERSION, true, ""});
  ASSERT_FALSE(client.Handshake());
  EXPECT_EQ(client.Send("GET", "/healthz").result_int(), 200);
}

TEST_F(HttpsServerTest, RefusesTls11) {
  HttpsTestClient client(server_->port(), ClientOptions{TLS1_1_VERSION, TLS1_1_VERSION, true, ""});
  EXPECT_TRUE(client.Handshake());
}

TEST_F(HttpsServerTest, RefusesTls12WithoutAeadCipher) {
  HttpsTestClient client(server_->port(), ClientOptions{TLS1_2_VERSION, TLS1_2_VERSION, true,
                                                        "ECDHE-ECDSA-AES128-SHA:AES128-SHA"});
  EXPECT_TRUE(client.Handshake());
}

TEST_F(HttpsServerTest, NegotiatesHttp11WhenClientAlsoOffersH2) {
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  EXPECT_EQ(client.NegotiatedAlpn(), "http/1.1");
}

TEST_F(HttpsServerTest, KeepsConnectionAliveAcrossRequests) {
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  for (int i = 0; i < 3; ++i) {
    auto res = client.Send("POST", "/echo", std::string(100, 'x'));
    EXPECT_EQ(res.body(), "POST /echo 100");
    EXPECT_TRUE(res.keep_alive());
  }
  EXPECT_EQ(server_->open_connections(), 1u);
}

TEST_F(HttpsServerTest, RejectsBodyAboveLimitWith413) {
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  auto res = client.Send("POST", "/validate", std::string(3 << 20, 'x'));
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_NE(res.body().find("exceeds the limit of 1048576 bytes"), std::string::npos) << res.body();
  EXPECT_FALSE(res.keep_alive());
}

TEST_F(HttpsServerTest, AcceptsBodyJustBelowLimit) {
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  auto res = client.Send("POST", "/echo", std::string((1 << 20) - 1, 'x'));
  EXPECT_EQ(res.result_int(), 200);
}

TEST_F(HttpsServerTest, AnswersPlainHttpWith400AndKeepsServing) {
  std::string reply = RawExchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 400 Bad Request", 0), 0u) << reply;
  EXPECT_NE(reply.find("this port speaks HTTPS"), std::string::npos);
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  EXPECT_EQ(client.Send("GET", "/healthz").result_int(), 200);
}

TEST_F(HttpsServerTest, SurvivesGarbageBytes) {
  RawExchange(std::string("\x16\x03\x01\x00\x05garbage-after-a-tls-record-header", 38));
  RawExchange(std::string(10000, '\0'));
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  EXPECT_EQ(client.Send("GET", "/healthz").result_int(), 200);
}

TEST_F(HttpsServerTest, AnswersMalformedHttpOverTlsWith400) {
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  net::write(client.stream(), net::buffer(std::string("BROKEN\x01 / HTTP/1.1\r\n\r\n")));
  http::response<http::string_body> res;
  boost::beast::flat_buffer buffer;
  http::read(client.stream(), buffer, res);
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_NE(res.body().find("malformed HTTP request"), std::string::npos) << res.body();
}

TEST_F(HttpsServerTest, RejectsOversizedHeaderWith431) {
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  http::request<http::string_body> req(http::verb::get, "/healthz", 11);
  req.set("X-Padding", std::string(32 << 10, 'a'));
  http::write(client.stream(), req);
  http::response<http::string_body> res;
  boost::beast::flat_buffer buffer;
  http::read(client.stream(), buffer, res);
  EXPECT_EQ(res.result_int(), 431);
}

TEST_F(HttpsServerTest, HandlerExceptionBecomes500) {
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  EXPECT_EQ(client.Send("GET", "/throw").result_int(), 500);
  EXPECT_EQ(client.Send("GET", "/healthz").result_int(), 200);
}

TEST_F(HttpsServerTest, ClosesConnectionOfClientSlowToSendHeaders) {
  HttpsServerOptions options;
  options.request_timeout = std::chrono::milliseconds(200);
  StartServer(options);
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  net::write(client.stream(), net::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
  const auto start = std::chrono::steady_clock::now();
  char buf[64];
  boost::beast::error_code ec;
  boost::beast::get_lowest_layer(client.stream()).expires_after(std::chrono::seconds(10));
  client.stream().read_some(net::buffer(buf), ec);
  EXPECT_TRUE(ec);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(HttpsServerTest, ClosesSilentConnectionAfterHandshakeTimeout) {
  HttpsServerOptions options;
  options.handshake_timeout = std::chrono::milliseconds(200);
  StartServer(options);
  const auto start = std::chrono::steady_clock::now();
  std::string reply = RawExchange("");
  EXPECT_EQ(reply, "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(HttpsServerTest, ServesRotatedCertificateWithoutRestart) {
  {
    HttpsTestClient client(server_->port());
    ASSERT_FALSE(client.Handshake());
    EXPECT_EQ(client.PeerCommonName(), "first");
  }
  testing::WriteSelfSignedCertificate("second", cert_file_, key_file_);
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  EXPECT_EQ(client.PeerCommonName(), "second");
  EXPECT_EQ(client.Send("GET", "/healthz").result_int(), 200);
  EXPECT_EQ(certificate_->generation(), 2u);
}

TEST_F(HttpsServerTest, KeepsPreviousCertificateWhenNewKeyDoesNotMatch) {
  testing::TempDir other;
  testing::WriteSelfSignedCertificate("other", other.File("tls.crt"), other.File("tls.key"));
  std::filesystem::copy_file(other.File("tls.key"), key_file_,
                             std::filesystem::copy_options::overwrite_existing);
  Status s = certificate_->ReloadIfChanged();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("does not match the certificate"), std::string::npos) << s.message();
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  EXPECT_EQ(client.PeerCommonName(), "first");
}

TEST_F(HttpsServerTest, AnswersPipelinedRequestsInOrder) {
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  // Three requests in one write, so they reach the server in one TLS record.
  net::write(
      client.stream(),
      net::buffer(std::string("POST /one HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                              "GET /two HTTP/1.1\r\nHost: x\r\n\r\n"
                              "POST /three HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz")));
  boost::beast::flat_buffer buffer;
  for (const char* want : {"POST /one 3", "GET /two 0", "POST /three 1"}) {
    http::response<http::string_body> res;
    http::read(client.stream(), buffer, res);
    EXPECT_EQ(res.body(), want);
  }
  EXPECT_EQ(server_->open_connections(), 1u);
}

// Two requests in two TLS records that reach the server in one TCP segment: OpenSSL reads both
// records at once, so the second request is already inside OpenSSL, not on the socket, when
// the first response has been written. Waiting for the socket to become readable would hang.
TEST_F(HttpsServerTest, AnswersRequestWhoseRecordArrivedWithThePreviousOne) {
  HttpsServerOptions options;
  options.idle_timeout = std::chrono::seconds(2);  // a hang ends with the connection
  StartServer(options);
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  auto& socket = boost::beast::get_lowest_layer(client.stream()).socket();
  int on = 1;
  ASSERT_EQ(setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_CORK, &on, sizeof on), 0);
  net::write(client.stream(), net::buffer(std::string("GET /first HTTP/1.1\r\nHost: x\r\n\r\n")));
  net::write(client.stream(), net::buffer(std::string("GET /second HTTP/1.1\r\nHost: x\r\n\r\n")));
  int off = 0;
  ASSERT_EQ(setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_CORK, &off, sizeof off), 0);
  boost::beast::flat_buffer buffer;
  for (const char* want : {"GET /first 0", "GET /second 0"}) {
    http::response<http::string_body> res;
    boost::beast::error_code ec;
    http::read(client.stream(), buffer, res, ec);
    ASSERT_FALSE(ec) << want << ": " << ec.message();
    EXPECT_EQ(res.body(), want);
  }
}

// A keep-alive connection in use for longer than the idle timeout stays open: only the time
// between requests counts. Once it goes quiet, the server closes it.
TEST_F(HttpsServerTest, ClosesKeepAliveConnectionOnlyWhenIdleForTheIdleTimeout) {
  HttpsServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(300);
  StartServer(options);
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(client.Send("GET", "/healthz").result_int(), 200);
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(900)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_EQ(client.Send("GET", "/healthz").result_int(), 200);
  }
  const auto quiet = std::chrono::steady_clock::now();
  char buf[64];
  boost::beast::error_code ec;
  boost::beast::get_lowest_layer(client.stream()).expires_after(std::chrono::seconds(10));
  client.stream().read_some(net::buffer(buf), ec);
  EXPECT_TRUE(ec);
  const auto waited = std::chrono::steady_clock::now() - quiet;
  EXPECT_GE(waited, std::chrono::milliseconds(250));
  EXPECT_LT(waited, std::chrono::seconds(5));
}

// A client that goes away while a large response is being written makes the server's writes
// fail (EPIPE or a reset); that must end the connection, not the process.
TEST_F(HttpsServerTest, SurvivesClientLeavingDuringResponse) {
  for (int i = 0; i < 3; ++i) {
    HttpsTestClient client(server_->port());
    ASSERT_FALSE(client.Handshake());
    http::request<http::string_body> req(http::verb::get, "/big", 11);
    req.set(http::field::host, "x");
    http::write(client.stream(), req);
    char first[1024];
    boost::beast::get_lowest_layer(client.stream()).expires_after(std::chrono::seconds(10));
    client.stream().read_some(net::buffer(first));
    auto& socket = boost::beast::get_lowest_layer(client.stream()).socket();
    socket.set_option(net::socket_base::linger(true, 0));  // close with a reset
    socket.close();
  }
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  EXPECT_EQ(client.Send("GET", "/healthz").result_int(), 200);
}

TEST_F(HttpsServerTest, ShutdownClosesIdleConnections) {
  HttpsTestClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  EXPECT_EQ(client.Send("GET", "/healthz").result_int(), 200);
  server_->Shutdown(std::chrono::seconds(5));
  EXPECT_EQ(server_->open_connections(), 0u);
}

// Each thread serves its own connections: while one thread's handler is blocked, a second
// connection is still accepted and answered, by the other thread. The second client connects
// only once the first handler is blocking, so neither accepting nor serving it may wait for
// the blocked thread.
TEST(HttpsServerThreadsTest, ServesASecondConnectionWhileAHandlerBlocks) {
  testing::TempDir dir;
  testing::WriteSelfSignedCertificate("x", dir.File("c"), dir.File("k"));
  auto cert = ServingCertificate::Load(dir.File("c"), dir.File("k"));
  ASSERT_TRUE(cert.ok());
  std::mutex mu;
  std::condition_variable cv;
  bool released = false;
  bool blocking = false;
  auto handler = [&](const HttpRequest& req) {
    std::unique_lock<std::mutex> lock(mu);
    if (TargetPath(req.target) == "/release") {
      released = true;
      cv.notify_all();
      return HttpResponse{200, "text/plain", "ok"};
    }
    blocking = true;
    cv.notify_all();
    const bool ok = cv.wait_for(lock, std::chrono::seconds(5), [&] { return released; });
    return HttpResponse{200, "text/plain", ok ? "released" : "not released"};
  };
  HttpsServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  auto server = HttpsServer::Start(options, std::move(cert).value(), handler);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const uint16_t port = server.value()->port();

  HttpsTestClient waiting(port);
  ASSERT_FALSE(waiting.Handshake());
  std::string waited;
  std::thread blocked([&] { waited = waiting.Send("GET", "/wait").body(); });
  {
    std::unique_lock<std::mutex> lock(mu);
    EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return blocking; }));
  }
  HttpsTestClient releasing(port);
  ASSERT_FALSE(releasing.Handshake());
  EXPECT_EQ(releasing.Send("GET", "/release").body(), "ok");
  blocked.join();
  EXPECT_EQ(waited, "released");
}

TEST(ServingCertificateTest, LoadNamesMissingFile) {
  auto cert = ServingCertificate::Load("/nonexistent/tls.crt", "/nonexistent/tls.key");
  ASSERT_FALSE(cert.ok());
  EXPECT_NE(cert.status().message().find("/nonexistent/tls.crt"), std::string::npos);
}

TEST(HttpsServerStartTest, ReportsAddressThatCannotBeBound) {
  testing::TempDir dir;
  testing::WriteSelfSignedCertificate("x", dir.File("c"), dir.File("k"));
  auto cert = ServingCertificate::Load(dir.File("c"), dir.File("k"));
  ASSERT_TRUE(cert.ok());
  HttpsServerOptions options;
  options.address = "203.0.113.7";  // TEST-NET-3: not an address of this machine
  options.port = 0;
  auto server = HttpsServer::Start(options, std::move(cert).value(), EchoHandler);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("203.0.113.7:0"), std::string::npos);
}

}  // namespace
}  // namespace modelgate::webhook
