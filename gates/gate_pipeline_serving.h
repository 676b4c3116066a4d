// The stress gate as the pipeline runs it: the load generator (stress_load.h) sending one
// encoded row to the candidate (and the champion), judged against spec.gates.stress.
#pragma once

#include <string>
#include <vector>

#include "api/gates_spec.h"
#include "api/model_version.h"
#include "api/status.h"
#include "gates/gate_result.h"
#include "gates/inference_types.h"
#include "gates/stress_load.h"

namespace modelgate::gates {

// The request the stress gate repeats: `row` encoded in `spec`'s serving protocol, sent to
// `url` (http only; the URL's /v2/models/<name> path overrides the model name). Returns
// InvalidArgument naming the URL when it is not http://host:port.
Result<StressTarget> StressTargetFor(const std::string& url, const ModelVersionSpec& spec,
                                     const InferenceBatch& row);

// Judges measured load against spec: p50/p95/p99 maxima, the error-rate maximum, and with a
// champion report, candidate p99 / champion p99 against maxP99Ratio. Metrics: p50Ms, p90Ms,
// p95Ms, p99Ms, p999Ms, maxMs, errorRate, requestsPerSecond, requests, and championP99Ms.
GateResult JudgeStress(const StressGateSpec& spec, const LoadReport& candidate,
                       const LoadReport* champion);

// Warms up, then measures the candidate (and the champion after it, with the same profile),
// and judges. A load run that cannot start is an Error naming the target.
GateResult RunStressGate(const StressGateSpec& spec, const StressTarget& candidate,
                         const StressTarget* champion);

}  // namespace modelgate::gates
