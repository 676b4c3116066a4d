#include "gates/data_source.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace modelgate::gates {
namespace {

// A one-response-per-connection HTTP server on 127.0.0.1, port chosen by the kernel.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::string response) : response_(std::move(response)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 8), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~LoopbackServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string last_request() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_request_;
  }

 private:
  void Serve() {
    while (true) {
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(client, buffer, sizeof buffer);
        if (n <= 0) break;
        request.append(buffer, static_cast<std::size_t>(n));
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        last_request_ = request;
      }
      std::size_t sent = 0;
      while (sent < response_.size()) {
        ssize_t n = ::write(client, response_.data() + sent, response_.size() - sent);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      ::close(client);
    }
  }

  std::string response_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::string last_request_;  // guarded by mu_
};

std::string Ok(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

std::string ReadAll(ByteSource& source) {
  std::string out;
  char buffer[7];  // small on purpose: many reads
  while (true) {
    Result<std::size_t> n = source.Read(buffer, sizeof buffer);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    if (!n.ok() || *n == 0) return out;
    out.append(buffer, *n);
  }
}

TEST(DataSourceTest, ReadsLocalFileByPathAndFileUrl) {
  std::string path = ::testing::TempDir() + "/data_source_test.csv";
  std::ofstream(path) << "a,b\n1,2\n";
  auto plain = OpenDataSource(path);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(ReadAll(**plain), "a,b\n1,2\n");
  auto url = OpenDataSource("file://" + path);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ((*url)->name(), path);
  std::remove(path.c_str());
}

TEST(DataSourceTest, MissingFileIsNotFoundNamingThePath) {
  auto source = OpenDataSource("/nonexistent/modelgate/data.csv");
  EXPECT_EQ(source.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(source.status().message().rfind("/nonexistent/modelgate/data.csv", 0), 0u);
}

TEST(DataSourceTest, StreamsHttpBody) {
  std::string body(100000, 'z');
  LoopbackServer server(Ok(body));
  auto source = OpenDataSource(server.url("/data/train.csv?v=1"));
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ(ReadAll(**source), body);
  EXPECT_EQ(server.last_request().rfind("GET /data/train.csv?v=1 HTTP/1.1\r\n", 0), 0u)
      << server.last_request();
}

TEST(DataSourceTest, HttpNotFoundNamesTheUrl) {
  LoopbackServer server("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  auto source = OpenDataSource(server.url("/missing.csv"));
  EXPECT_EQ(source.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(source.status().message(),
            "GET " + server.url("/missing.csv") + ": HTTP 404 Not Found");
}

TEST(DataSourceTest, RefusedConnectionIsUnavailable) {
  std::string url;
  {
    LoopbackServer server(Ok(""));
    url = server.url("/gone.csv");
  }
  auto source = OpenDataSource(url);
  EXPECT_EQ(source.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(source.status().message().find(url), std::string::npos);
}

TEST(DataSourceTest, SignsS3RequestsPathStyleAgainstCustomEndpoint) {
  LoopbackServer server(Ok("x\n1\n"));
  DataSourceOptions options;
  options.credentials = AwsCredentials{
      .access_key_id = "AKIDEXAMPLE", .secret_access_key = "secret", .session_token = ""};
  options.s3_endpoint = server.endpoint();
  options.s3_region = "eu-west-1";
  auto source = OpenDataSource("s3://datasets/ref erence.csv", options);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->name(), "s3://datasets/ref erence.csv");
  EXPECT_EQ(ReadAll(**source), "x\n1\n");
  const std::string request = server.last_request();
  EXPECT_EQ(request.rfind("GET /datasets/ref%20erence.csv HTTP/1.1\r\n", 0), 0u) << request;
  EXPECT_NE(request.find("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), std::string::npos) << request;
  EXPECT_NE(request.find("/eu-west-1/s3/aws4_request"), std::string::npos) << request;
  EXPECT_EQ(request.find("secret"), std::string::npos);
}

TEST(DataSourceTest, RejectsMalformedS3Uri) {
  DataSourceOptions options;
  options.credentials = AwsCredentials{};
  EXPECT_EQ(OpenDataSource("s3://bucket-only", options).status().code(),
            Status::Code::kInvalidArgument);
}

TEST(DataSourceTest, RejectsUnsupportedScheme) {
  auto source = OpenDataSource("ftp://user:pw@host/data.csv");
  EXPECT_EQ(source.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(source.status().message(),
            "ftp://host/data.csv: unsupported scheme \"ftp\"; the gates read file://, http://, "
            "https:// and s3:// URIs");
}

TEST(DataSourceTest, RedactsCredentialsFromUris) {
  EXPECT_EQ(RedactUri("https://user:secret@example.com/a@b.csv"), "https://example.com/a@b.csv");
  EXPECT_EQ(RedactUri("https://example.com/a@b.csv"), "https://example.com/a@b.csv");
}

}  // namespace
}  // namespace modelgate::gates
