#include "gates/gate_pipeline.h"

#include <algorithm>
#include <chrono>

namespace modelgate::gates {
namespace {

GateOutcome Skipped(const std::string& name, std::string reason) {
  GateOutcome outcome;
  outcome.name = name;
  outcome.phase = GatePhase::kSkipped;
  outcome.result.gate = name;
  outcome.result.message = std::move(reason);
  return outcome;
}

double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

GatePhase PhaseOf(GateVerdict verdict) {
  switch (verdict) {
    case GateVerdict::kPassed:
      return GatePhase::kPassed;
    case GateVerdict::kFailed:
      return GatePhase::kFailed;
    case GateVerdict::kError:
      return GatePhase::kError;
  }
  return GatePhase::kError;
}

int PipelineReport::ExitCode() const {
  int code = 0;
  for (const GateOutcome& outcome : outcomes) {
    if (outcome.phase == GatePhase::kError) return 2;
    if (outcome.phase == GatePhase::kFailed) code = 1;
  }
  return code;
}

PipelineReport RunGatePipeline(const GatesSpec& gates, const std::vector<GateName>& selected,
                               GateRunner& runner, const PipelineCallbacks& callbacks) {
  auto now = callbacks.now ? callbacks.now : SteadySeconds;
  PipelineReport report;
  auto finish = [&](GateOutcome outcome) {
    if (callbacks.on_finish) callbacks.on_finish(outcome);
    report.outcomes.push_back(std::move(outcome));
  };
  auto run = [&](const std::string& name, const std::function<GateResult()>& step) {
    if (callbacks.on_start) callbacks.on_start(name);
    const double start = now();
    GateOutcome outcome;
    outcome.name = name;
    outcome.result = step();
    outcome.seconds = now() - start;
    outcome.phase = PhaseOf(outcome.result.verdict);
    const bool passed = outcome.phase == GatePhase::kPassed;
    finish(std::move(outcome));
    return passed;
  };

  std::string blocked;  // why the remaining gates are skipped
  if (!run("artifact", [&] { return runner.CheckArtifact(); })) {
    blocked = "the artifact check did not pass";  // even with runAll: the wrong model
  }
  for (GateName gate : kAllGates) {
    const std::string name = ToString(gate);
    const bool chosen = selected.empty()
                            ? GateSettings(gates, gate).enabled
                            : std::find(selected.begin(), selected.end(), gate) != selected.end();
    if (!chosen) {
      finish(Skipped(
          name, selected.empty() ? "disabled in spec.gates." + name : "not selected with --gate"));
      continue;
    }
    if (!blocked.empty()) {
      finish(Skipped(name, "skipped: " + blocked));
      continue;
    }
    if (!run(name, [&] { return runner.RunGate(gate); }) && !gates.run_all) {
      blocked = "the " + name + " gate did not pass and spec.gates.runAll is false";
    }
  }
  return report;
}

}  // namespace modelgate::gates
