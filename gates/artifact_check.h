// The artifact check that runs before any gate: when spec.artifact.digest is set, the artifact
// is streamed from its URI and its sha256 must match, so the gates judge the model that will
// be deployed and not another one stored under the same name.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "api/model_version.h"
#include "api/status.h"
#include "gates/byte_source.h"
#include "gates/gate_result.h"

namespace modelgate::gates {

// Opens a URI for streaming (OpenDataSource in production, memory in tests).
using ByteSourceOpener = std::function<Result<std::unique_ptr<ByteSource>>(const std::string&)>;

// Checks `artifact`'s digest. The result's gate is "artifact": Passed with the digest as the
// message when it matches (or "no digest to verify" when none is set), Failed naming both
// digests when it does not, Error naming the URI when the artifact cannot be read.
GateResult CheckArtifactDigest(const Artifact& artifact, const ByteSourceOpener& open);

}  // namespace modelgate::gates
