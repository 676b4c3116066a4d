// Nothing a user writes may crash the decoders: every field of a full manifest is replaced in
// turn by a value of every JSON type, and each result must be a value or an InvalidArgument.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "api/model_gate_policy.h"
#include "api/model_version.h"

namespace modelgate {
namespace {

using nlohmann::json;

const json kReplacements[] = {nullptr,
                              true,
                              -1,
                              0,
                              1.5,
                              1e300,
                              "",
                              "x",
                              json::array(),
                              json::array({1, "a"}),
                              json::object(),
                              json{{"k", "v"}},
                              std::string("\xff\xfe bad utf-8")};

// Calls `visit` with the JSON pointer of every value inside `j`, including containers.
void ForEachPointer(const json& j, const json::json_pointer& at,
                    const std::function<void(const json::json_pointer&)>& visit) {
  visit(at);
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) ForEachPointer(v, at / k, visit);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) ForEachPointer(j[i], at / i, visit);
  }
}

template <typename Decode>
int MutateEverywhere(const json& manifest, Decode decode) {
  int runs = 0;
  ForEachPointer(manifest, json::json_pointer(), [&](const json::json_pointer& ptr) {
    for (const json& replacement : kReplacements) {
      json mutated = manifest;
      mutated[ptr] = replacement;
      auto result = decode(mutated);
      if (!result.ok()) {
        EXPECT_EQ(result.status().code(), Status::Code::kInvalidArgument)
            << ptr.to_string() << " = "
            << replacement.dump(-1, ' ', false, json::error_handler_t::replace);
        EXPECT_FALSE(result.status().message().empty());
      }
      ++runs;
    }
  });
  return runs;
}

TEST(DecodeRobustnessTest, ModelVersionDecoderNeverThrows) {
  json manifest = json::parse(R"({
    "apiVersion": "modelgate.io/v1alpha1", "kind": "ModelVersion",
    "metadata": {"name": "m", "labels": {"a": "b"}, "ownerReferences": [
      {"apiVersion": "v1", "kind": "X", "name": "x", "uid": "u", "controller": true}]},
    "spec": {
      "model": "m", "version": "1",
      "artifact": {"uri": "s3://a/b", "digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000", "format": "onnx"},
      "serving": {"image": "i", "port": 80, "args": ["a"], "env": [{"name": "A", "value": "B"}],
                  "resources": {"requests": {"cpu": "1"}}},
      "datasets": {"training": {"uri": "s3://d/t"}, "holdout": {"uri": "s3://d/h"},
                   "reference": {"uri": "s3://d/r"}},
      "schema": {"task": "regression", "features": [{"name": "f", "categories": ["a"], "min": 0}]},
      "gates": {"data": {"columns": [{"name": "f", "method": "psi"}]},
                "quality": {"champion": {"modelVersion": "c"}, "overfitting": {}},
                "robustness": {"cases": {"uri": "s3://c/c"}},
                "stress": {"mode": "open", "rate": 5, "compareTo": {"modelVersion": "c"}}}
    },
    "status": {"phase": "Passed", "conditions": [{"type": "Ready", "status": "True",
               "lastTransitionTime": "2026-01-01T00:00:00Z", "reason": "R", "message": ""}],
               "gates": [{"name": "data", "phase": "Passed", "metrics": {"x": 1}}],
               "validatedAt": "2026-01-01T00:00:00Z"}
  })");
  ASSERT_TRUE(ModelVersionFromJson(manifest).ok());
  EXPECT_GT(MutateEverywhere(manifest, [](const json& j) { return ModelVersionFromJson(j); }),
            1000);
}

TEST(DecodeRobustnessTest, ModelGatePolicyDecoderNeverThrows) {
  json manifest = json::parse(R"({
    "apiVersion": "modelgate.io/v1alpha1", "kind": "ModelGatePolicy", "metadata": {"name": "p"},
    "spec": {
      "namespaceSelector": {"matchLabels": {"a": "b"},
                            "matchExpressions": [{"key": "k", "operator": "In", "values": ["v"]}]},
      "kinds": ["Pod"], "requiredGates": ["data"],
      "floors": [{"gate": "quality", "metric": "auc", "min": 0.8}],
      "maxValidationAge": "720h", "enforcement": "Warn",
      "exemptions": [{"namespaces": ["n"], "serviceAccounts": ["a/b"],
                      "expiresAt": "2027-01-01T00:00:00Z", "reason": "r"}]
    },
    "status": {"observedGeneration": 1}
  })");
  ASSERT_TRUE(ModelGatePolicyFromJson(manifest).ok());
  EXPECT_GT(MutateEverywhere(manifest, [](const json& j) { return ModelGatePolicyFromJson(j); }),
            300);
}

}  // namespace
}  // namespace modelgate
