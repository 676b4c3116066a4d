// A container's log read through the API server (GET /api/v1/namespaces/NS/pods/NAME/log),
// which Client leaves out because the answer is text, not an object.
#pragma once

#include <cstddef>
#include <string>

#include "api/status.h"
#include "kube/config.h"

namespace modelgate::kube {

struct PodLogOptions {
  std::string container;                // empty: the pod's only container
  std::size_t limit_bytes = 16u << 20;  // the API server sends at most this many bytes
};

// The log of `container` in pod `ns`/`pod`, at most options.limit_bytes long (the beginning
// of a longer log). Authenticates and verifies TLS as NewRestClient does. Returns NotFound
// when the pod is gone, InvalidArgument when the container does not exist or has not started
// (the server's 400), Unavailable when the server cannot be reached, and the api_error.h
// mapping of any other answer.
Result<std::string> ReadPodLog(const ClientConfig& config, const std::string& ns,
                               const std::string& pod, const PodLogOptions& options = {});

}  // namespace modelgate::kube
