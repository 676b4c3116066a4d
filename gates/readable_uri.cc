#include "gates/readable_uri.h"

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "gates/data_source.h"

namespace modelgate::gates {
namespace {

constexpr char kReadable[] = "the gates read file://, http://, https:// and s3:// URIs";

// The fields `gate` reads, with their URIs, in the order the gate opens them.
std::vector<std::pair<std::string, std::string>> GateInputs(const ModelVersionSpec& spec,
                                                            GateName gate) {
  std::vector<std::pair<std::string, std::string>> inputs;
  auto add = [&](const char* field, const std::optional<Dataset>& dataset) {
    if (dataset.has_value()) inputs.emplace_back(field, dataset->uri);
  };
  const Datasets& datasets = spec.datasets;
  // Without schema features, every gate infers them from the reference first.
  if (!spec.schema.has_value() || spec.schema->features.empty()) {
    add("spec.datasets.reference.uri", datasets.reference);
  }
  // The first row of the hold-out set (else the reference) is the base of generated requests.
  auto add_sample = [&] {
    if (datasets.holdout.has_value()) {
      add("spec.datasets.holdout.uri", datasets.holdout);
    } else {
      add("spec.datasets.reference.uri", datasets.reference);
    }
  };
  switch (gate) {
    case GateName::kData:
      add("spec.datasets.reference.uri", datasets.reference);
      add("spec.datasets.training.uri", datasets.training);
      break;
    case GateName::kQuality:
      add("spec.datasets.holdout.uri", datasets.holdout);
      add("spec.datasets.training.uri", datasets.training);
      add("spec.datasets.trainingHistory.uri", datasets.training_history);
      break;
    case GateName::kRobustness:
      add_sample();
      if (spec.gates.robustness.cases.has_value()) {
        inputs.emplace_back("spec.gates.robustness.cases.uri", spec.gates.robustness.cases->uri);
      }
      break;
    case GateName::kStress:
      add_sample();
      break;
  }
  return inputs;
}

}  // namespace

Status CheckReadableUri(const std::string& uri) {
  const std::size_t separator = uri.find("://");
  if (separator == std::string::npos) return Status::Ok();
  const std::string scheme = uri.substr(0, separator);
  if (scheme == "file" || scheme == "http" || scheme == "https" || scheme == "s3") {
    return Status::Ok();
  }
  const std::string shown = RedactUri(uri);
  if (scheme == "gs") {
    return Status::InvalidArgument(
        shown + ": the gates cannot read gs:// (Google Cloud Storage) URIs; " + kReadable +
        ": copy the data to S3 or an S3-compatible store, or give an https:// URL to it");
  }
  if (scheme == "pvc") {
    return Status::InvalidArgument(
        shown +
        ": the gates cannot read pvc:// URIs, as validation Jobs mount no "
        "PersistentVolumeClaim; " +
        kReadable);
  }
  return Status::InvalidArgument(shown + ": unsupported scheme \"" + scheme + "\"; " + kReadable);
}

Status CheckGateInputUris(const ModelVersionSpec& spec, GateName gate) {
  for (const auto& [field, uri] : GateInputs(spec, gate)) {
    Status readable = CheckReadableUri(uri);
    if (!readable.ok()) return readable.WithContext(field);
  }
  return Status::Ok();
}

}  // namespace modelgate::gates
