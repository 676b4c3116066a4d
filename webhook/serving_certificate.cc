#include "webhook/serving_certificate.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>

namespace modelgate::webhook {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites with forward secrecy and authenticated encryption; TLS 1.3 suites are
// all AEAD and keep OpenSSL's defaults.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

constexpr unsigned char kAlpnHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

int SelectAlpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen,
               const unsigned char* in, unsigned int inlen, void* /*arg*/) {
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kAlpnHttp11, sizeof(kAlpnHttp11), in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    // A client that offers only h2 still gets HTTP/1.1 rather than a failed handshake.
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown TLS error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof(buf));
  return buf;
}

Result<ServingCertificate::FileStamp> StampOf(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Status::InvalidArgument(path + ": " + std::strerror(errno));
  }
  ServingCertificate::FileStamp s;
  s.device = st.st_dev;
  s.inode = st.st_ino;
  s.size = st.st_size;
  s.mtime_ns = int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
  return s;
}

}  // namespace

Result<std::shared_ptr<ssl::context>> MakeServerTlsContext(const std::string& cert_file,
                                                           const std::string& key_file) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  ERR_clear_error();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                  SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_SINGLE_ECDH_USE);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return Status::Internal("TLS cipher list rejected: " + OpenSslError());
  }
  SSL_CTX_set_alpn_select_cb(native, SelectAlpn, nullptr);
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_SERVER);
  static constexpr unsigned char kSessionContext[] = "modelgate-webhook";
  SSL_CTX_set_session_id_context(native, kSessionContext, sizeof(kSessionContext) - 1);

  if (SSL_CTX_use_certificate_chain_file(native, cert_file.c_str()) != 1) {
    return Status::InvalidArgument(cert_file +
                                   ": cannot load certificate chain: " + OpenSslError());
  }
  // The key is read and matched separately so that a rotation caught half-way (new key,
  // old certificate) is reported as such rather than as an unreadable file.
  FILE* key_in = std::fopen(key_file.c_str(), "r");
  if (key_in == nullptr) {
    return Status::InvalidArgument(key_file + ": cannot open private key: " + std::strerror(errno));
  }
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_PrivateKey(key_in, nullptr, nullptr, nullptr), EVP_PKEY_free);
  std::fclose(key_in);
  if (key == nullptr) {
    return Status::InvalidArgument(key_file + ": cannot read PEM private key: " + OpenSslError());
  }
  X509* cert = SSL_CTX_get0_certificate(native);
  if (cert == nullptr || X509_check_private_key(cert, key.get()) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument(key_file + ": private key does not match the certificate in " +
                                   cert_file);
  }
  if (SSL_CTX_use_PrivateKey(native, key.get()) != 1) {
    return Status::InvalidArgument(key_file + ": cannot use private key: " + OpenSslError());
  }
  return ctx;
}

ServingCertificate::ServingCertificate(std::string cert_file, std::string key_file,
                                       std::chrono::steady_clock::duration min_check_interval)
    : cert_file_(std::move(cert_file)),
      key_file_(std::move(key_file)),
      min_check_interval_(min_check_interval) {}

Result<std::unique_ptr<ServingCertificate>> ServingCertificate::Load(
    std::string cert_file, std::string key_file,
    std::chrono::steady_clock::duration min_check_interval) {
  std::unique_ptr<ServingCertificate> cert(
      new ServingCertificate(std::move(cert_file), std::move(key_file), min_check_interval));
  auto cert_stamp = StampOf(cert->cert_file_);
  if (!cert_stamp.ok()) return cert_stamp.status();
  auto key_stamp = StampOf(cert->key_file_);
  if (!key_stamp.ok()) return key_stamp.status();
  auto ctx = MakeServerTlsContext(cert->cert_file_, cert->key_file_);
  if (!ctx.ok()) return ctx.status();
  std::lock_guard<std::mutex> lock(cert->mu_);
  cert->context_ = std::move(ctx).value();
  cert->cert_stamp_ = *cert_stamp;
  cert->key_stamp_ = *key_stamp;
  cert->last_check_ = std::chrono::steady_clock::now();
  cert->generation_ = 1;
  return cert;
}

std::shared_ptr<ssl::context> ServingCertificate::Current(
    std::chrono::steady_clock::time_point now) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (now - last_check_ < min_check_interval_) return context_;
    last_check_ = now;
  }
  Status s = ReloadIfChanged();
  if (!s.ok()) {
    spdlog::warn("msg=\"serving certificate not reloaded; keeping the previous one\" error=\"{}\"",
                 s.message());
  }
  std::lock_guard<std::mutex> lock(mu_);
  return context_;
}

Status ServingCertificate::ReloadIfChanged() {
  auto cert_stamp = StampOf(cert_file_);
  if (!cert_stamp.ok()) return cert_stamp.status();
  auto key_stamp = StampOf(key_file_);
  if (!key_stamp.ok()) return key_stamp.status();
  std::lock_guard<std::mutex> lock(mu_);
  if (*cert_stamp == cert_stamp_ && *key_stamp == key_stamp_) return Status::Ok();
  auto ctx = MakeServerTlsContext(cert_file_, key_file_);
  if (!ctx.ok()) return ctx.status();
  context_ = std::move(ctx).value();
  cert_stamp_ = *cert_stamp;
  key_stamp_ = *key_stamp;
  ++generation_;
  spdlog::info("msg=\"serving certificate reloaded\" cert=\"{}\" generation={}", cert_file_,
               generation_);
  return Status::Ok();
}

uint64_t ServingCertificate::generation() const {
  std::lock_guard<std::mutex> lock(mu_);
  return generation_;
}

}  // namespace modelgate::webhook
