// ModelVersionGateRunner: the real GateRunner. Reads the ModelVersion's datasets from their
// URIs, talks to the candidate (and champion) serving endpoints, and runs each gate with the
// thresholds of spec.gates. Used by `modelgate validate` in both of its modes.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "api/model_version.h"
#include "gates/data_gate.h"
#include "gates/data_source.h"
#include "gates/gate_pipeline.h"
#include "gates/inference_endpoint.h"

namespace modelgate::gates {

struct GateEnvironment {
  ModelVersion model_version;
  std::optional<ModelVersion> champion;  // its serving settings address the champion endpoint
  // Base URLs ("http://127.0.0.1:8080"). A URL may carry the model as its path
  // ("http://127.0.0.1:8080/v2/models/good"), which overrides the served model name.
  std::string candidate_endpoint;
  std::optional<std::string> champion_endpoint;
  DataSourceOptions data_source;
  std::size_t max_holdout_rows = 1'000'000;
  std::size_t training_sample_rows = 10'000;  // the head of the training set, for the gap
  std::chrono::milliseconds request_timeout{10000};
};

class ModelVersionGateRunner final : public GateRunner {
 public:
  explicit ModelVersionGateRunner(GateEnvironment environment);
  ~ModelVersionGateRunner() override;

  GateResult CheckArtifact() override;
  GateResult RunGate(GateName gate) override;

 private:
  GateResult RunData();
  GateResult RunQuality();
  GateResult RunRobustness();
  GateResult RunStress();

  // spec.schema, or the one inferred from the reference data (computed once).
  Result<ModelSchema> Schema();
  // An endpoint for `url` speaking the protocol of `spec`, ready within the gate's timeout.
  Result<std::unique_ptr<InferenceEndpoint>> ReadyEndpoint(const std::string& url,
                                                           const ModelVersionSpec& spec,
                                                           GateName gate);
  // The first row of the hold-out (or reference) set as features, for requests that need one.
  Result<InferenceBatch> SampleRow();

  GateEnvironment env_;
  std::optional<Result<ModelSchema>> schema_;
};

// The model name a URL's path names ("/v2/models/<name>..."), and the URL without that path.
struct EndpointAddress {
  std::string base_url;
  std::optional<std::string> model_name;
};
EndpointAddress ParseEndpointAddress(const std::string& url);

}  // namespace modelgate::gates
