#include "gates/artifact_check.h"

#include <algorithm>
#include <cctype>

#include "gates/digest.h"

namespace modelgate::gates {
namespace {

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

GateResult ArtifactResult(GateVerdict verdict, std::string message) {
  GateResult result;
  result.gate = "artifact";
  result.verdict = verdict;
  result.message = std::move(message);
  return result;
}

}  // namespace

GateResult CheckArtifactDigest(const Artifact& artifact, const ByteSourceOpener& open) {
  if (!artifact.digest.has_value())
    return ArtifactResult(GateVerdict::kPassed, "no digest to verify");
  Status valid = ValidateDigest(*artifact.digest);
  if (!valid.ok())
    return ArtifactResult(GateVerdict::kError, "spec.artifact.digest: " + valid.message());
  auto source = open(artifact.uri);
  if (!source.ok()) {
    return ArtifactResult(GateVerdict::kError, "spec.artifact.uri: " + source.status().message());
  }
  auto actual = Sha256Digest(**source);
  if (!actual.ok()) {
    return ArtifactResult(GateVerdict::kError, "spec.artifact.uri: " + actual.status().message());
  }
  const std::string expected = Lowercase(*artifact.digest);
  GateResult result =
      *actual == expected
          ? ArtifactResult(GateVerdict::kPassed, (*source)->name() + " has digest " + *actual)
          : ArtifactResult(
                GateVerdict::kFailed,
                (*source)->name() + ": digest mismatch: expected " + expected + ", got " + *actual);
  result.details = {{"uri", (*source)->name()}, {"expected", expected}, {"actual", *actual}};
  return result;
}

}  // namespace modelgate::gates
