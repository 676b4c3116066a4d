// ModelVersion and ModelGatePolicy manifests, as YAML (kubectl's and `modelgate validate` /
// `modelgate check`'s input) or as JSON (what the API server hands the operator and webhook).
// The first input byte chooses the kind, the syntax and strict or pruning decoding. Beyond
// not crashing:
// - a YAML stream that parses is bounded (nesting), and each document written as JSON text
//   parses back, as YAML, to the same value (numbers beyond a double's range stay strings);
// - an object that decodes encodes to JSON that decodes to the same object, and encodes to
//   the same JSON again.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/model_gate_policy.h"
#include "api/model_version.h"
#include "api/yaml.h"
#include "fuzz/invariant.h"
#include "api/json_nesting.h"

namespace {

using modelgate::DecodeOptions;
using modelgate::Result;
using nlohmann::json;

// JSON text of `value`, or empty when a string in it is not UTF-8 (the YAML reader passes
// bytes through; dump refuses them).
std::string JsonText(const json& value) {
  try {
    return value.dump();
  } catch (const json::exception&) {
    return std::string();
  }
}

// Whether every mapping key in `value`, written as a JSON string, is at most 1024 bytes: YAML
// limits implicit keys, JSON ones in flow style included, to 1024 characters, so a longer key
// is the one place where JSON text is not YAML.
bool KeysFitYaml(const json& value) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      if (json(key).dump().size() > 1024 || !KeysFitYaml(child)) return false;
    }
  } else if (value.is_array()) {
    for (const json& child : value) {
      if (!KeysFitYaml(child)) return false;
    }
  }
  return true;
}

template <typename Object, typename Decode>
void CheckRoundTrip(const json& document, const DecodeOptions& options, Decode decode) {
  Result<Object> object = decode(document, options);
  if (!object.ok()) {
    MODELGATE_FUZZ_EXPECT(!object.status().message().empty(), "a refusal says why");
    return;
  }
  const json encoded = ToJson(*object);
  Result<Object> again = decode(encoded, options);
  MODELGATE_FUZZ_EXPECT(again.ok(), "an encoded object decodes");
  MODELGATE_FUZZ_EXPECT(*again == *object, "decode(encode(x)) == x");
  MODELGATE_FUZZ_EXPECT(ToJson(*again) == encoded, "encoding is stable");
}

void CheckDocument(const json& document, bool policy, const DecodeOptions& options) {
  if (policy) {
    CheckRoundTrip<modelgate::ModelGatePolicy>(document, options,
                                               [](const json& j, const DecodeOptions& o) {
                                                 return modelgate::ModelGatePolicyFromJson(j, o);
                                               });
  } else {
    CheckRoundTrip<modelgate::ModelVersion>(document, options,
                                            [](const json& j, const DecodeOptions& o) {
                                              return modelgate::ModelVersionFromJson(j, o);
                                            });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = bytes[0];
  const std::string_view text(reinterpret_cast<const char*>(bytes + 1), size - 1);
  const bool policy = control & 1;
  const bool yaml = control & 2;
  DecodeOptions options;
  options.reject_unknown_fields = control & 4;

  if (!yaml) {
    const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!document.is_discarded()) CheckDocument(document, policy, options);
    return 0;
  }

  modelgate::YamlLimits limits;
  limits.max_nodes = 100'000;
  Result<std::vector<json>> documents = modelgate::ParseYamlDocuments(text, "fuzz.yaml", limits);
  if (!documents.ok()) {
    MODELGATE_FUZZ_EXPECT(!documents.status().message().empty(), "a refusal says why");
    return 0;
  }
  for (const json& document : *documents) {
    const std::string as_json = JsonText(document);
    if (!as_json.empty() && KeysFitYaml(document)) {
      MODELGATE_FUZZ_EXPECT(modelgate::JsonNestingDepth(as_json) <= limits.max_depth,
                            "a parsed document is bounded in depth");
      Result<json> again = modelgate::ParseYaml(as_json, "again.yaml", limits);
      MODELGATE_FUZZ_EXPECT(again.ok(), "a document written as JSON parses as YAML");
      MODELGATE_FUZZ_EXPECT(*again == document, "a document written as JSON reads the same");
    }
    CheckDocument(document, policy, options);
  }
  return 0;
}
