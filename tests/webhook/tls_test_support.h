// Test-only TLS pieces: a self-signed certificate made with OpenSSL at test time, and a
// small blocking HTTPS client whose protocol versions can be forced.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace modelgate::webhook::testing {

// A fresh temporary directory, removed at destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mg-webhook-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Writes a self-signed P-256 certificate for `common_name` (with SAN 127.0.0.1) and its key
// to cert_file and key_file. Writes to a temporary name first and renames, as a Secret
// volume update does.
inline void WriteSelfSignedCertificate(const std::string& common_name, const std::string& cert_file,
                                       const std::string& key_file) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  static long serial = 1;
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509_EXTENSION* san =
      X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  X509_add_ext(cert.get(), san, -1);
  X509_EXTENSION_free(san);
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    throw std::runtime_error("X509_sign failed");
  }
  auto write = [](const std::string& path, auto&& writer) {
    const std::string tmp = path + ".tmp";
    FILE* f = std::fopen(tmp.c_str(), "w");
    if (f == nullptr) throw std::runtime_error("cannot write " + tmp);
    writer(f);
    std::fclose(f);
    std::filesystem::rename(tmp, path);
  };
  write(key_file, [&](FILE* f) {
    PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  write(cert_file, [&](FILE* f) { PEM_write_X509(f, cert.get()); });
}

struct ClientOptions {
  int min_version = TLS1_VERSION;
  int max_version = TLS1_3_VERSION;
  bool offer_alpn = true;
  std::string tls12_ciphers;  // OpenSSL's default list when empty
};

// A blocking HTTPS connection to 127.0.0.1:port; does not verify the server (the tests
// check what the server presents instead).
class HttpsTestClient {
 public:
  HttpsTestClient(uint16_t port, ClientOptions options = {})
      : ctx_(MakeContext(options)), stream_(ioc_, ctx_) {
    boost::beast::get_lowest_layer(stream_).connect(
        boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }

  // Performs the handshake; returns the error, or an empty code on success.
  boost::beast::error_code Handshake() {
    boost::beast::error_code ec;
    boost::beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(10));
    stream_.handshake(boost::asio::ssl::stream_base::client, ec);
    return ec;
  }

  // The common name of the certificate the server presented.
  std::string PeerCommonName() {
    X509* peer = SSL_get1_peer_certificate(stream_.native_handle());
    if (peer == nullptr) return "";
    char buf[256] = {0};
    X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, buf, sizeof(buf));
    X509_free(peer);
    return buf;
  }

  std::string NegotiatedAlpn() {
    const unsigned char* data = nullptr;
    unsigned int len = 0;
    SSL_get0_alpn_selected(stream_.native_handle(), &data, &len);
    return std::string(reinterpret_cast<const char*>(data), len);
  }

  const char* ProtocolVersion() { return SSL_get_version(stream_.native_handle()); }

  // Sends a request and reads the response; throws on transport errors.
  boost::beast::http::response<boost::beast::http::string_body> Send(
      const std::string& method, const std::string& target, const std::string& body = "",
      const std::string& content_type = "application/json") {
    namespace http = boost::beast::http;
    http::request<http::string_body> req(http::string_to_verb(method), target, 11);
    req.set(http::field::host, "127.0.0.1");
    if (!body.empty()) req.set(http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
    boost::beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(20));
    http::write(stream_, req);
    http::response<http::string_body> res;
    http::read(stream_, buffer_, res);
    return res;
  }

  boost::beast::ssl_stream<boost::beast::tcp_stream>& stream() { return stream_; }

 private:
  // The SSL object copies its settings from the context when the stream is constructed,
  // so the context is configured completely before that.
  static boost::asio::ssl::context MakeContext(const ClientOptions& options) {
    boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_client);
    SSL_CTX* native = ctx.native_handle();
    // Old protocol versions need security level 0 on the client side in OpenSSL 3, so
    // that a refusal comes from the server and not from this client.
    SSL_CTX_set_security_level(native, 0);
    SSL_CTX_set_min_proto_version(native, options.min_version);
    SSL_CTX_set_max_proto_version(native, options.max_version);
    if (!options.tls12_ciphers.empty()) {
      SSL_CTX_set_cipher_list(native, options.tls12_ciphers.c_str());
    }
    if (options.offer_alpn) {
      static const unsigned char kProtos[] = {2,   'h', '2', 8,   'h', 't',
                                              't', 'p', '/', '1', '.', '1'};
      SSL_CTX_set_alpn_protos(native, kProtos, sizeof(kProtos));
    }
    ctx.set_verify_mode(boost::asio::ssl::verify_none);
    return ctx;
  }

  boost::asio::io_context ioc_;
  boost::asio::ssl::context ctx_;
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace modelgate::webhook::testing
