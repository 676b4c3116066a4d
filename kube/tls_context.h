// TLS settings for connections to the API server, applied to cpprestsdk's OpenSSL context.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <string>

#include "api/status.h"
#include "kube/config.h"

namespace modelgate::kube {

// Checks that the PEM blocks of `config` parse: the CA bundle, the client certificate and
// its key (and that they belong together). InvalidArgument naming the bad one.
Status ValidateTlsMaterial(const ClientConfig& config);

// Restricts `ctx` to TLS 1.2+, trusts only config.ca_pem when it is set (instead of the
// system roots), and presents the client certificate when there is one.
// REQUIRES: ValidateTlsMaterial(config).ok(). Throws boost::system::system_error on failure
// (cpprestsdk calls this inside its connection setup and reports it as a request error).
void ConfigureTlsContext(const ClientConfig& config, boost::asio::ssl::context& ctx);

}  // namespace modelgate::kube
