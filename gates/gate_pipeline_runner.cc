#include "gates/gate_pipeline_runner.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include "gates/artifact_check.h"
#include "gates/data_gate_spec.h"
#include "gates/dataset.h"
#include "gates/gate_pipeline_serving.h"
#include "gates/inference_http_endpoint.h"
#include "gates/inference_protocol.h"
#include "gates/overfitting.h"
#include "gates/quality_gate.h"
#include "gates/quality_gate_rows.h"
#include "gates/readable_uri.h"
#include "gates/robustness_case_generator.h"
#include "gates/robustness_run.h"
#include "gates/robustness_user_cases.h"
#include "gates/schema_inference.h"

namespace modelgate::gates {
namespace {

GateResult ErrorResult(GateName gate, const Status& status) {
  GateResult result;
  result.gate = ToString(gate);
  result.verdict = GateVerdict::kError;
  result.message = status.message();
  return result;
}

// Opens a dataset of the ModelVersion; `field` ("spec.datasets.holdout") names it in errors.
Result<std::unique_ptr<RowSource>> OpenSpecDataset(const std::optional<Dataset>& dataset,
                                                   const std::string& field,
                                                   const DataSourceOptions& options) {
  if (!dataset.has_value()) return Status::InvalidArgument(field + ": required by this gate");
  auto source = OpenDataSource(dataset->uri, options);
  if (!source.ok()) return source.status().WithContext(field);
  auto rows =
      OpenDataset(std::move(source).value(), dataset->format == modelgate::DatasetFormat::kCsv
                                                 ? gates::DatasetFormat::kCsv
                                                 : gates::DatasetFormat::kJsonLines);
  if (!rows.ok()) return rows.status().WithContext(field);
  return rows;
}

// The data gate names its metrics in snake_case ("drift_share", "drift_score.mean_radius");
// the Job contract (docs/validation-job.md) in camelCase ("driftShare"). Only the metric's
// own words change: what follows the first '.' is a feature's name, kept as written
// ("driftScore.mean_radius"), so it still matches the column and the schema.
std::string CamelCaseMetricName(const std::string& name) {
  const std::size_t dot = name.find('.');
  const std::size_t end = dot == std::string::npos ? name.size() : dot;
  std::string camel;
  bool upper = false;
  for (std::size_t i = 0; i < end; ++i) {
    const char c = name[i];
    if (c == '_') {
      upper = true;
      continue;
    }
    camel += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return camel + name.substr(end);
}

void CamelCaseMetricNames(GateResult* result) {
  std::map<std::string, double> renamed;
  for (const auto& [name, value] : result->metrics) renamed[CamelCaseMetricName(name)] = value;
  result->metrics = std::move(renamed);
}

// The whole content of `uri`, refused beyond `max_bytes`.
Result<std::string> ReadBounded(const std::string& uri, std::size_t max_bytes,
                                const DataSourceOptions& options) {
  auto source = OpenDataSource(uri, options);
  if (!source.ok()) return source.status();
  std::string text;
  std::vector<char> buffer(1 << 16);
  while (true) {
    Result<std::size_t> read = (*source)->Read(buffer.data(), buffer.size());
    if (!read.ok()) return read.status();
    if (*read == 0) return text;
    if (text.size() + *read > max_bytes) {
      return Status::ResourceExhausted(uri + ": larger than " + std::to_string(max_bytes) +
                                       " bytes");
    }
    text.append(buffer.data(), *read);
  }
}

}  // namespace

EndpointAddress ParseEndpointAddress(const std::string& url) {
  EndpointAddress address{url, std::nullopt};
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) return address;
  address.base_url = url.substr(0, path);
  constexpr std::string_view kModels = "/v2/models/";
  std::string_view rest = std::string_view(url).substr(path);
  if (rest.substr(0, kModels.size()) == kModels) {
    std::string_view name = rest.substr(kModels.size());
    name = name.substr(0, name.find('/'));
    if (!name.empty()) address.model_name = std::string(name);
  }
  return address;
}

ModelVersionGateRunner::ModelVersionGateRunner(GateEnvironment environment)
    : env_(std::move(environment)) {}

ModelVersionGateRunner::~ModelVersionGateRunner() = default;

GateResult ModelVersionGateRunner::CheckArtifact() {
  const DataSourceOptions options = env_.data_source;
  return CheckArtifactDigest(env_.model_version.spec.artifact, [options](const std::string& uri) {
    return OpenDataSource(uri, options);
  });
}

GateResult ModelVersionGateRunner::RunGate(GateName gate) {
  // A URI no gate can read fails the gate before anything is read or waited for.
  Status inputs = CheckGateInputUris(env_.model_version.spec, gate);
  if (!inputs.ok()) return ErrorResult(gate, inputs);
  switch (gate) {
    case GateName::kData:
      return RunData();
    case GateName::kQuality:
      return RunQuality();
    case GateName::kRobustness:
      return RunRobustness();
    case GateName::kStress:
      return RunStress();
  }
  return ErrorResult(gate, Status::Internal("unknown gate"));
}

Result<ModelSchema> ModelVersionGateRunner::Schema() {
  if (schema_.has_value()) return *schema_;
  const ModelVersionSpec& spec = env_.model_version.spec;
  if (spec.schema.has_value() && !spec.schema->features.empty()) {
    schema_ = *spec.schema;
    return *schema_;
  }
  // No schema, or one that names only the task and target: the features come from the
  // reference data, and what the spec does say is kept.
  const char* const what = spec.schema.has_value() ? "spec.schema.features are absent"
                                                   : "spec.schema is absent";
  auto reference =
      OpenSpecDataset(spec.datasets.reference, "spec.datasets.reference", env_.data_source);
  if (!reference.ok()) {
    schema_ = reference.status().WithContext(std::string(what) + ", so they are inferred");
    return *schema_;
  }
  auto profile = ProfileDataset(**reference, spec.datasets.reference->uri);
  if (!profile.ok()) {
    schema_ = profile.status();
    return *schema_;
  }
  SchemaInferenceOptions options;
  if (spec.schema.has_value()) options.target = spec.schema->target;
  auto inferred = InferSchema(*profile, options);
  if (inferred.ok() && spec.schema.has_value()) inferred->task = spec.schema->task;
  schema_ = inferred.ok() ? inferred
                          : Result<ModelSchema>(inferred.status().WithContext(
                                std::string(what) + " and cannot be inferred"));
  return *schema_;
}

Result<std::unique_ptr<InferenceEndpoint>> ModelVersionGateRunner::ReadyEndpoint(
    const std::string& url, const ModelVersionSpec& spec, GateName gate) {
  EndpointAddress address = ParseEndpointAddress(url);
  const std::string model = address.model_name.value_or(EffectiveModelName(spec));
  std::unique_ptr<InferenceProtocol> protocol;
  if (spec.serving.protocol == ServingProtocol::kV2) {
    V2Options v2;
    v2.model_name = model;
    const bool classification =
        !spec.schema.has_value() || spec.schema->task == ModelTask::kClassification;
    // Scikit-learn servers (MLServer) answer class probabilities only when asked for them.
    if (gate == GateName::kQuality && classification) {
      v2.requested_outputs = {"predict", "predict_proba"};
    }
    protocol = MakeV2Protocol(std::move(v2));
  } else {
    auto made = MakeInferenceProtocol(ToString(spec.serving.protocol), model);
    if (!made.ok()) return made.status();
    protocol = std::move(made).value();
  }
  HttpEndpointOptions options;
  options.base_url = address.base_url;
  options.request_timeout = env_.request_timeout;
  if (gate == GateName::kRobustness) {
    options.request_timeout = std::chrono::seconds(spec.gates.robustness.request_timeout_seconds);
  }
  auto endpoint = HttpInferenceEndpoint::Create(options, std::move(protocol));
  if (!endpoint.ok()) return endpoint.status();
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::seconds(GateSettings(spec.gates, gate).timeout_seconds);
  Status ready = (*endpoint)->WaitUntilReady(deadline);
  if (!ready.ok()) return ready;
  return std::unique_ptr<InferenceEndpoint>(std::move(endpoint).value());
}

Result<InferenceBatch> ModelVersionGateRunner::SampleRow() {
  Result<ModelSchema> schema = Schema();
  if (!schema.ok()) return schema.status();
  const ModelVersionSpec& spec = env_.model_version.spec;
  const bool holdout = spec.datasets.holdout.has_value();
  const char* field = holdout ? "spec.datasets.holdout" : "spec.datasets.reference";
  const auto& dataset = holdout ? spec.datasets.holdout : spec.datasets.reference;
  auto rows = OpenSpecDataset(dataset, field, env_.data_source);
  if (!rows.ok()) return rows.status();
  ModelSchema unlabeled = *schema;
  if (!unlabeled.target.has_value() ||
      std::find((*rows)->column_names().begin(), (*rows)->column_names().end(),
                *unlabeled.target) == (*rows)->column_names().end()) {
    // A reference sample may lack the target; any feature column stands in for it.
    unlabeled.target = unlabeled.features.front().name;
    unlabeled.task = ModelTask::kClassification;
  }
  auto labeled = ReadLabeledRows(**rows, dataset->uri, unlabeled, 1, /*stop_at_max_rows=*/true);
  if (!labeled.ok()) return labeled.status().WithContext(field);
  return labeled->features;
}

GateResult ModelVersionGateRunner::RunData() {
  const ModelVersionSpec& spec = env_.model_version.spec;
  Result<ModelSchema> schema = Schema();
  if (!schema.ok()) return ErrorResult(GateName::kData, schema.status());
  auto reference =
      OpenSpecDataset(spec.datasets.reference, "spec.datasets.reference", env_.data_source);
  if (!reference.ok()) return ErrorResult(GateName::kData, reference.status());
  auto training =
      OpenSpecDataset(spec.datasets.training, "spec.datasets.training", env_.data_source);
  if (!training.ok()) return ErrorResult(GateName::kData, training.status());
  DataGateConfig config = DataGateConfigFromSpec(spec.gates.data, spec.schema);
  // Without spec.schema the data gate takes the features from the reference; the inferred
  // target is not one of them.
  if (!spec.schema.has_value() && schema->target.has_value()) {
    config.excluded_columns.push_back(*schema->target);
  }
  GateResult result = RunDataGate(**reference, spec.datasets.reference->uri, **training,
                                  spec.datasets.training->uri, config);
  CamelCaseMetricNames(&result);
  return result;
}

GateResult ModelVersionGateRunner::RunQuality() {
  const ModelVersionSpec& spec = env_.model_version.spec;
  const QualityGateSpec& quality = spec.gates.quality;
  Result<ModelSchema> schema = Schema();
  if (!schema.ok()) return ErrorResult(GateName::kQuality, schema.status());
  if (!schema->target.has_value()) {
    return ErrorResult(GateName::kQuality,
                       Status::InvalidArgument("spec.schema.target: the quality gate needs the "
                                               "target column"));
  }
  auto holdout_rows =
      OpenSpecDataset(spec.datasets.holdout, "spec.datasets.holdout", env_.data_source);
  if (!holdout_rows.ok()) return ErrorResult(GateName::kQuality, holdout_rows.status());
  auto holdout =
      ReadLabeledRows(**holdout_rows, spec.datasets.holdout->uri, *schema, env_.max_holdout_rows);
  if (!holdout.ok()) return ErrorResult(GateName::kQuality, holdout.status());

  std::optional<LabeledRows> training;
  if (spec.datasets.training.has_value()) {
    auto training_rows =
        OpenSpecDataset(spec.datasets.training, "spec.datasets.training", env_.data_source);
    if (!training_rows.ok()) return ErrorResult(GateName::kQuality, training_rows.status());
    auto sample = ReadLabeledRows(**training_rows, spec.datasets.training->uri, *schema,
                                  env_.training_sample_rows, /*stop_at_max_rows=*/true);
    if (!sample.ok()) return ErrorResult(GateName::kQuality, sample.status());
    training = std::move(sample).value();
  }
  std::optional<std::vector<EpochLoss>> history;
  if (spec.datasets.training_history.has_value()) {
    auto history_rows = OpenSpecDataset(spec.datasets.training_history,
                                        "spec.datasets.trainingHistory", env_.data_source);
    if (!history_rows.ok()) return ErrorResult(GateName::kQuality, history_rows.status());
    auto read = ReadTrainingHistory(**history_rows);
    if (!read.ok()) return ErrorResult(GateName::kQuality, read.status());
    history = std::move(read).value();
  }

  auto candidate = ReadyEndpoint(env_.candidate_endpoint, spec, GateName::kQuality);
  if (!candidate.ok()) return ErrorResult(GateName::kQuality, candidate.status());
  std::unique_ptr<InferenceEndpoint> champion;
  if (quality.champion.has_value()) {
    if (!env_.champion_endpoint.has_value()) {
      return ErrorResult(
          GateName::kQuality,
          Status::InvalidArgument("spec.gates.quality.champion: names " +
                                  quality.champion->model_version +
                                  ", but no champion endpoint was given (--champion-endpoint)"));
    }
    const ModelVersionSpec& champion_spec = env_.champion ? env_.champion->spec : spec;
    auto ready = ReadyEndpoint(*env_.champion_endpoint, champion_spec, GateName::kQuality);
    if (!ready.ok()) return ErrorResult(GateName::kQuality, ready.status().WithContext("champion"));
    champion = std::move(ready).value();
  }
  QualityGateConfig config = QualityGateConfigFromSpec(quality, schema->task);
  QualityGateInputs inputs;
  inputs.candidate = candidate->get();
  inputs.champion = champion.get();
  inputs.holdout = &*holdout;
  inputs.training = training ? &*training : nullptr;
  inputs.history = history ? &*history : nullptr;
  return EvaluateQualityGate(config, inputs);
}

GateResult ModelVersionGateRunner::RunRobustness() {
  const ModelVersionSpec& spec = env_.model_version.spec;
  Result<ModelSchema> schema = Schema();
  if (!schema.ok()) return ErrorResult(GateName::kRobustness, schema.status());
  auto base = SampleRow();
  if (!base.ok()) return ErrorResult(GateName::kRobustness, base.status());
  std::vector<RobustnessCase> cases = GenerateRobustnessCases(schema->features, base->rows[0]);
  // JSON has no NaN: it travels as a non-standard literal that a strict server may reject with a
  // 4xx (MLServer answers 422), which is a fair answer, so only a 5xx or a crash fails it.
  for (RobustnessCase& generated : cases) {
    for (const FeatureValue& cell : generated.input.rows[0]) {
      const double* number = std::get_if<double>(&cell);
      if (number != nullptr && std::isnan(*number)) generated.expect = CaseExpectation::kHandled;
    }
  }
  if (spec.gates.robustness.cases.has_value()) {
    const std::string& uri = spec.gates.robustness.cases->uri;
    auto text = ReadBounded(uri, UserCaseLimits{}.max_bytes, env_.data_source);
    if (!text.ok()) {
      return ErrorResult(GateName::kRobustness,
                         text.status().WithContext("spec.gates.robustness.cases.uri"));
    }
    auto user = ParseUserCases(*text, uri);
    if (!user.ok()) return ErrorResult(GateName::kRobustness, user.status());
    for (RobustnessCase& user_case : *user) {
      AlignToSchema(user_case, schema->features);
      cases.push_back(std::move(user_case));
    }
  }
  auto candidate = ReadyEndpoint(env_.candidate_endpoint, spec, GateName::kRobustness);
  if (!candidate.ok()) return ErrorResult(GateName::kRobustness, candidate.status());
  GateResult result = RobustnessGateResult(RunRobustnessCases(**candidate, cases),
                                           spec.gates.robustness.max_failures);
  // The Job contract's names (docs/validation-job.md).
  std::map<std::string, double> metrics;
  for (const auto& [name, value] : result.metrics) {
    metrics[name == "cases" ? "casesTotal" : name == "failed_cases" ? "casesFailed" : name] = value;
  }
  result.metrics = std::move(metrics);
  CamelCaseMetricNames(&result);
  return result;
}

GateResult ModelVersionGateRunner::RunStress() {
  const ModelVersionSpec& spec = env_.model_version.spec;
  const StressGateSpec& stress = spec.gates.stress;
  auto base = SampleRow();
  if (!base.ok()) return ErrorResult(GateName::kStress, base.status());
  auto candidate_target = StressTargetFor(env_.candidate_endpoint, spec, *base);
  if (!candidate_target.ok()) return ErrorResult(GateName::kStress, candidate_target.status());
  // Readiness first, so start-up time is not measured as latency.
  auto candidate = ReadyEndpoint(env_.candidate_endpoint, spec, GateName::kStress);
  if (!candidate.ok()) return ErrorResult(GateName::kStress, candidate.status());
  std::optional<StressTarget> champion_target;
  if (stress.compare_to.has_value()) {
    if (!env_.champion_endpoint.has_value()) {
      return ErrorResult(
          GateName::kStress,
          Status::InvalidArgument("spec.gates.stress.compareTo: names " +
                                  stress.compare_to->model_version +
                                  ", but no champion endpoint was given (--champion-endpoint)"));
    }
    const ModelVersionSpec& champion_spec = env_.champion ? env_.champion->spec : spec;
    auto target = StressTargetFor(*env_.champion_endpoint, champion_spec, *base);
    if (!target.ok())
      return ErrorResult(GateName::kStress, target.status().WithContext("champion"));
    auto ready = ReadyEndpoint(*env_.champion_endpoint, champion_spec, GateName::kStress);
    if (!ready.ok()) return ErrorResult(GateName::kStress, ready.status().WithContext("champion"));
    champion_target = *target;
  }
  return RunStressGate(stress, *candidate_target, champion_target ? &*champion_target : nullptr);
}

}  // namespace modelgate::gates
