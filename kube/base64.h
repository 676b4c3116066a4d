// Standard base64 (RFC 4648, with padding) as kubeconfig *-data fields use it.
#pragma once

#include <string>
#include <string_view>

#include "api/status.h"

namespace modelgate::kube {

// Decodes `text`, ignoring whitespace. InvalidArgument when it is not base64.
Result<std::string> DecodeBase64(std::string_view text);

// Encodes `bytes`.
std::string EncodeBase64(std::string_view bytes);

}  // namespace modelgate::kube
