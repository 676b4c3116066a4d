// The CRDs in crds/ are the source of truth of the API; these tests keep the C++ decoder's
// defaults and enums equal to theirs, and check that the examples decode strictly.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "api/model_gate_policy.h"
#include "api/model_version.h"
#include "api/yaml.h"

namespace modelgate {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kRoot = MODELGATE_SOURCE_DIR;

std::vector<json> LoadYaml(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto docs = ParseYamlDocuments(text.str(), path.string());
  EXPECT_TRUE(docs.ok()) << docs.status().ToString();
  return docs.ok() ? *docs : std::vector<json>{};
}

// The openAPIV3Schema of the CRD in `file`.
json CrdSchema(const char* file) {
  std::vector<json> docs = LoadYaml(kRoot / "crds" / file);
  if (docs.size() != 1) {
    ADD_FAILURE() << file << " should hold one document";
    return json::object();
  }
  return docs[0]["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
}

// The schema of the field at dotted `path` ("spec.gates.data.method").
json SchemaAt(const json& root, const std::string& path) {
  json node = root;
  std::stringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '.')) {
    if (part == "[]") {
      node = node["items"];
    } else {
      node = node["properties"][part];
    }
  }
  return node;
}

// Structural defaulting as the API server does it: a missing property with a default gets
// it; then every present object and list item is defaulted in turn.
void ApplyDefaults(const json& schema, json& value) {
  if (value.is_object() && schema.contains("properties")) {
    for (const auto& [name, prop] : schema["properties"].items()) {
      if (!value.contains(name) && prop.contains("default")) value[name] = prop["default"];
      if (value.contains(name)) ApplyDefaults(prop, value[name]);
    }
  } else if (value.is_array() && schema.contains("items")) {
    for (json& item : value) ApplyDefaults(schema["items"], item);
  }
}

json MinimalModelVersionSpec() {
  return json::parse(R"({
    "model": "fraud", "version": "1",
    "artifact": {"uri": "s3://m/1", "format": "onnx"},
    "serving": {"image": "srv:1"},
    "datasets": {"training": {"uri": "s3://d/t"}, "holdout": {"uri": "s3://d/h"},
                 "reference": {"uri": "s3://d/r"}, "trainingHistory": {"uri": "s3://d/e"}}
  })");
}

// Every optional object with defaulted members present, so their defaults are compared too.
json NestedModelVersionSpec() {
  json spec = MinimalModelVersionSpec();
  spec["schema"] = {{"task", "classification"}, {"features", {{{"name", "amount"}}}}};
  spec["gates"] = {{"quality", {{"champion", {{"modelVersion", "fraud-0"}}}}},
                   {"robustness", {{"cases", {{"uri", "s3://d/cases.jsonl"}}}}},
                   {"stress", {{"compareTo", {{"modelVersion", "fraud-0"}}}}}};
  return spec;
}

class ModelVersionDefaultsTest : public ::testing::TestWithParam<json> {};

TEST_P(ModelVersionDefaultsTest, DecoderDefaultsEqualCrdDefaults) {
  json schema = CrdSchema("modelgate.io_modelversions.yaml")["properties"]["spec"];
  json by_crd = GetParam();
  ApplyDefaults(schema, by_crd);
  auto decoded = ModelVersionSpecFromJson(GetParam());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(ToJson(*decoded), by_crd)
      << "C++: " << ToJson(*decoded).dump(1) << "\nCRD: " << by_crd.dump(1);
}

INSTANTIATE_TEST_SUITE_P(Specs, ModelVersionDefaultsTest,
                         ::testing::Values(MinimalModelVersionSpec(), NestedModelVersionSpec()));

TEST(ModelGatePolicyDefaultsTest, DecoderDefaultsEqualCrdDefaults) {
  json schema = CrdSchema("modelgate.io_modelgatepolicies.yaml")["properties"]["spec"];
  json by_crd = json::object();
  ApplyDefaults(schema, by_crd);
  auto decoded = ModelGatePolicySpecFromJson(json::object());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(ToJson(*decoded), by_crd);
}

// The C++ parser's refusal lists its allowed values; they must be the CRD's enum.
void ExpectSameEnum(const json& root, const std::string& path,
                    const std::function<Status(std::string_view)>& parse) {
  json values = SchemaAt(root, path)["enum"];
  ASSERT_TRUE(values.is_array()) << path << " has no enum in the CRD";
  std::string joined;
  for (const auto& v : values) {
    EXPECT_TRUE(parse(v.get<std::string>()).ok()) << path << ": " << v;
    joined += (joined.empty() ? "" : ", ") + v.get<std::string>();
  }
  EXPECT_EQ(parse("?").message(), "must be one of " + joined + ", got \"?\"") << path;
}

template <typename Parse>
std::function<Status(std::string_view)> StatusOf(Parse parse) {
  return [parse](std::string_view s) { return parse(s).status(); };
}

TEST(CrdConsistencyTest, ModelVersionEnumsMatch) {
  json root = CrdSchema("modelgate.io_modelversions.yaml");
  ExpectSameEnum(root, "spec.artifact.format", StatusOf(ArtifactFormatFromString));
  ExpectSameEnum(root, "spec.serving.protocol", StatusOf(ServingProtocolFromString));
  ExpectSameEnum(root, "spec.datasets.training.format", StatusOf(DatasetFormatFromString));
  ExpectSameEnum(root, "spec.schema.task", StatusOf(ModelTaskFromString));
  ExpectSameEnum(root, "spec.schema.features.[].type", StatusOf(FeatureTypeFromString));
  ExpectSameEnum(root, "spec.gates.data.method", StatusOf(DriftMethodFromString));
  ExpectSameEnum(root, "spec.gates.data.columns.[].method", StatusOf(DriftMethodFromString));
  ExpectSameEnum(root, "spec.gates.quality.metric", StatusOf(QualityMetricFromString));
  ExpectSameEnum(root, "spec.gates.stress.mode", StatusOf(StressModeFromString));
  ExpectSameEnum(root, "status.phase", StatusOf(ModelVersionPhaseFromString));
  ExpectSameEnum(root, "status.conditions.[].status", StatusOf(ConditionStatusFromString));
  ExpectSameEnum(root, "status.gates.[].name", StatusOf(GateNameFromString));
  ExpectSameEnum(root, "status.gates.[].phase", StatusOf(GatePhaseFromString));
}

TEST(CrdConsistencyTest, ModelGatePolicyEnumsMatch) {
  json root = CrdSchema("modelgate.io_modelgatepolicies.yaml");
  ExpectSameEnum(root, "spec.kinds.[]", StatusOf(WorkloadKindFromString));
  ExpectSameEnum(root, "spec.requiredGates.[]", StatusOf(GateNameFromString));
  ExpectSameEnum(root, "spec.floors.[].gate", StatusOf(GateNameFromString));
  ExpectSameEnum(root, "spec.enforcement", StatusOf(EnforcementModeFromString));
  ExpectSameEnum(root, "spec.namespaceSelector.matchExpressions.[].operator",
                 StatusOf(SelectorOperatorFromString));
}

// kubectl explain is only as good as the descriptions.
void ExpectDescribed(const json& schema, const std::string& path) {
  if (!schema.is_object()) return;
  const json properties = schema.value("properties", json::object());
  for (const auto& [name, prop] : properties.items()) {
    std::string child = path + "." + name;
    if (child == ".metadata") continue;
    EXPECT_TRUE(prop.contains("description")) << child << " has no description";
    ExpectDescribed(prop, child);
    if (prop.contains("items")) ExpectDescribed(prop["items"], child + "[]");
  }
}

TEST(CrdConsistencyTest, EveryFieldIsDescribed) {
  ExpectDescribed(CrdSchema("modelgate.io_modelversions.yaml"), "");
  ExpectDescribed(CrdSchema("modelgate.io_modelgatepolicies.yaml"), "");
}

TEST(CrdConsistencyTest, ExamplesDecodeStrictly) {
  int decoded = 0;
  for (const auto& entry : fs::directory_iterator(kRoot / "examples")) {
    if (entry.path().extension() != ".yaml") continue;
    for (const json& doc : LoadYaml(entry.path())) {
      std::string kind = doc.value("kind", "");
      DecodeOptions strict{.reject_unknown_fields = true};
      if (kind == kModelVersionKind) {
        auto mv = ModelVersionFromJson(doc, strict);
        EXPECT_TRUE(mv.ok()) << entry.path() << ": " << mv.status().ToString();
        ++decoded;
      } else if (kind == kModelGatePolicyKind) {
        auto p = ModelGatePolicyFromJson(doc, strict);
        EXPECT_TRUE(p.ok()) << entry.path() << ": " << p.status().ToString();
        ++decoded;
      }
    }
  }
  EXPECT_GE(decoded, 3);
}

}  // namespace
}  // namespace modelgate
