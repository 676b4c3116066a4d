// The gate pipeline: the gates of one ModelVersion in order (data, quality, robustness,
// stress), after the artifact check. A gate that does not pass skips the ones after it unless
// spec.gates.runAll; disabled and unselected gates are skipped. How each gate runs is behind
// GateRunner, so the ordering is tested with a fake and the real runner does the I/O.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/gate_name.h"
#include "api/gates_spec.h"
#include "api/model_version.h"
#include "gates/gate_result.h"

namespace modelgate::gates {

class GateRunner {
 public:
  virtual ~GateRunner() = default;
  // Verifies the artifact (artifact_check.h). Called once, before any gate.
  virtual GateResult CheckArtifact() = 0;
  // Runs one gate to its verdict. Never throws.
  virtual GateResult RunGate(GateName gate) = 0;
};

struct GateOutcome {
  std::string name;                       // "artifact", "data", "quality", "robustness", "stress"
  GatePhase phase = GatePhase::kPending;  // Passed, Failed, Error or Skipped
  GateResult result;                      // for a skipped gate: the reason in message
  double seconds = 0;                     // wall time of the run
};

struct PipelineReport {
  std::vector<GateOutcome> outcomes;  // the artifact check first, then each gate in order

  // 0 when nothing failed or erred, 1 when something failed, 2 when something could not run
  // (Error wins over Failed).
  int ExitCode() const;
};

struct PipelineCallbacks {
  // Called before a step runs ("artifact" or a gate name).
  std::function<void(const std::string& step)> on_start;
  // Called after each step, run or skipped.
  std::function<void(const GateOutcome& outcome)> on_finish;
  // Monotonic seconds, for the durations; absent: steady_clock.
  std::function<double()> now;
};

// Runs the steps. `selected` empty means every enabled gate; otherwise only those named (a
// selected gate runs even when the spec disables it, as the user asked for it).
PipelineReport RunGatePipeline(const GatesSpec& gates, const std::vector<GateName>& selected,
                               GateRunner& runner, const PipelineCallbacks& callbacks = {});

// GatePhase for a verdict.
GatePhase PhaseOf(GateVerdict verdict);

}  // namespace modelgate::gates
