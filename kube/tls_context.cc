#include "kube/tls_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>

namespace modelgate::kube {
namespace {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

Bio MemoryBio(const std::string& pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
}

// Reads every certificate of a PEM bundle; returns how many.
int ForEachCertificate(const std::string& pem, const std::function<void(X509*)>& use) {
  Bio bio = MemoryBio(pem);
  int count = 0;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    use(cert);
    X509_free(cert);
    ++count;
  }
  ERR_clear_error();  // the end of the bundle shows up as an error
  return count;
}

}  // namespace

Status ValidateTlsMaterial(const ClientConfig& config) {
  if (!config.ca_pem.empty() && ForEachCertificate(config.ca_pem, [](X509*) {}) == 0) {
    return Status::InvalidArgument("certificate-authority: no PEM certificate found");
  }
  if (config.client_cert_pem.empty() != config.client_key_pem.empty()) {
    return Status::InvalidArgument("client certificate and key must be given together");
  }
  if (config.client_cert_pem.empty()) return Status::Ok();
  Bio cert_bio = MemoryBio(config.client_cert_pem);
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) {
    ERR_clear_error();
    return Status::InvalidArgument("client-certificate: not a PEM certificate");
  }
  Bio key_bio = MemoryBio(config.client_key_pem);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (!key) {
    ERR_clear_error();
    return Status::InvalidArgument("client-key: not a PEM private key");
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument("client-key: does not match client-certificate");
  }
  return Status::Ok();
}

void ConfigureTlsContext(const ClientConfig& config, boost::asio::ssl::context& ctx) {
  SSL_CTX* native = ctx.native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  if (!config.ca_pem.empty()) {
    // A configured CA replaces the system roots, as client-go does.
    X509_STORE* store = X509_STORE_new();
    ForEachCertificate(config.ca_pem, [store](X509* cert) { X509_STORE_add_cert(store, cert); });
    SSL_CTX_set_cert_store(native, store);
  }
  if (!config.client_cert_pem.empty()) {
    ctx.use_certificate_chain(
        boost::asio::buffer(config.client_cert_pem.data(), config.client_cert_pem.size()));
    ctx.use_private_key(
        boost::asio::buffer(config.client_key_pem.data(), config.client_key_pem.size()),
        boost::asio::ssl::context::pem);
  }
}

}  // namespace modelgate::kube
