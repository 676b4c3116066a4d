// GateRun: the configuration of one gate inside a validation Job (docs/validation-job.md),
// read from the mounted /etc/modelgate/gate.json.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "api/gate_name.h"
#include "api/model_version.h"
#include "api/status.h"

namespace modelgate::gates {

inline constexpr char kGateRunKind[] = "GateRun";

struct GateRun {
  GateName gate = GateName::kData;
  ModelVersion model_version;            // gates already made effective by the operator
  std::optional<ModelVersion> champion;  // when the gate compares against one
  std::string candidate_endpoint;        // "http://127.0.0.1:8080"
  std::optional<std::string> champion_endpoint;
};

struct GateRunLimits {
  std::size_t max_bytes = 1 << 20;
  int max_depth = 64;
};

// Parses a GateRun document. `source` (the file name) prefixes every message. Returns
// InvalidArgument "source:line:column: ..." for malformed JSON, and "source: <field>: ..." for
// a wrong apiVersion or kind, an unknown gate, an invalid modelVersion or champion (the
// decoder's field path under "modelVersion."/"champion."), a missing or non-http(s) endpoint,
// or a missing champion endpoint when the gate compares against the champion.
// ResourceExhausted when the document is larger or deeper than `limits`.
Result<GateRun> ParseGateRun(std::string_view text, const std::string& source,
                             const GateRunLimits& limits = {});

// Reads the file at `path` (at most limits.max_bytes) and parses it.
// Returns NotFound / PermissionDenied naming the path when it cannot be read.
Result<GateRun> ReadGateRunFile(const std::string& path, const GateRunLimits& limits = {});

// Whether `gate` of `spec` compares against a champion: quality with spec.gates.quality.champion,
// stress with spec.gates.stress.compareTo.
bool GateComparesWithChampion(const ModelVersionSpec& spec, GateName gate);

}  // namespace modelgate::gates
