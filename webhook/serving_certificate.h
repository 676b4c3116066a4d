// The webhook's TLS identity: a certificate chain and private key read from files, and the
// TLS context built from them. When either file changes on disk (a rotated Secret, a
// cert-manager renewal) the next check builds a new context and swaps it in atomically;
// connections already open keep the context they started with. No restart is needed.
#pragma once

#include <sys/types.h>

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "api/status.h"

namespace modelgate::webhook {

// Builds a server TLS context: TLS 1.2 or newer, forward-secret AEAD cipher suites only,
// ALPN http/1.1, no renegotiation, no compression.
// Returns InvalidArgument naming the file when the certificate or key cannot be read, or
// when the key does not belong to the certificate.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const std::string& cert_file, const std::string& key_file);

class ServingCertificate {
 public:
  // Loads the certificate chain and key.
  // Returns InvalidArgument naming the file when they cannot be used.
  static Result<std::unique_ptr<ServingCertificate>> Load(
      std::string cert_file, std::string key_file,
      std::chrono::steady_clock::duration min_check_interval = std::chrono::seconds(1));

  // The context new connections should use. Checks the files for changes when the last
  // check is at least min_check_interval before `now`; a failed reload (for instance a key
  // written before its certificate) keeps the previous context and is retried next time.
  std::shared_ptr<boost::asio::ssl::context> Current(std::chrono::steady_clock::time_point now);

  // Checks the files now and reloads them if they changed.
  // Returns OK when unchanged or reloaded; otherwise the reason, with the old context kept.
  Status ReloadIfChanged();

  // How many times a context has been built (1 after Load); for tests and logs.
  uint64_t generation() const;

  // What identifies a file's content cheaply: a rename-based rotation changes the inode,
  // an in-place rewrite the size or modification time.
  struct FileStamp {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const FileStamp&) const = default;
  };

 private:
  ServingCertificate(std::string cert_file, std::string key_file,
                     std::chrono::steady_clock::duration min_check_interval);

  const std::string cert_file_;
  const std::string key_file_;
  const std::chrono::steady_clock::duration min_check_interval_;

  mutable std::mutex mu_;
  std::shared_ptr<boost::asio::ssl::context> context_;  // guarded by mu_
  FileStamp cert_stamp_;                                // guarded by mu_
  FileStamp key_stamp_;                                 // guarded by mu_
  std::chrono::steady_clock::time_point last_check_;    // guarded by mu_
  uint64_t generation_ = 0;                             // guarded by mu_
};

}  // namespace modelgate::webhook
