// Artifact digests: the sha256 of a stream, as spec.artifact.digest writes it
// ("sha256:<64 lowercase hex digits>").
#pragma once

#include <string>
#include <string_view>

#include "api/status.h"
#include "gates/byte_source.h"

namespace modelgate::gates {

// Reads `source` to its end and returns "sha256:<hex>". Returns the source's read error.
Result<std::string> Sha256Digest(ByteSource& source);

// Checks that `expected` is a well-formed "sha256:<hex>" digest (hex in either case).
// Returns InvalidArgument naming the problem otherwise.
Status ValidateDigest(std::string_view expected);

// Reads `source` and compares its digest with `expected`. Returns InvalidArgument
// "<source>: digest mismatch: expected sha256:..., got sha256:..." when they differ.
Status VerifyDigest(ByteSource& source, std::string_view expected);

}  // namespace modelgate::gates
