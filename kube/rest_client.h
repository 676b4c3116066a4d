// RestClient: the Client for a real API server over HTTPS with cpprestsdk.
//
// TLS 1.2 or later; server verification against ClientConfig::ca_pem (or the system roots),
// skipped only when insecure_skip_tls_verify is set; client certificates from PEM in memory.
// Bearer tokens come from a TokenSource (a rotated token file is picked up). Requests other
// than watches pass a client-side token bucket (qps/burst). Exceptions from cpprestsdk are
// caught here and returned as Unavailable.
#pragma once

#include <memory>
#include <string>

#include "api/status.h"
#include "kube/client.h"
#include "kube/clock.h"
#include "kube/config.h"

namespace modelgate::kube {

// Creates a RestClient. Returns InvalidArgument for a config without a server, with a
// server that is not an http(s) URL, or with PEM data that does not parse (naming which).
// REQUIRES: clock outlives the client.
Result<std::unique_ptr<Client>> NewRestClient(const ClientConfig& config,
                                              const Clock& clock = SystemClock());

}  // namespace modelgate::kube
