// AdmissionReview bodies: what the kube-apiserver, or anything else that reaches the
// webhook's port, sends. Beyond not crashing:
// - the projecting parser agrees with nlohmann's full parser: keeping everything yields the
//   same tree, and keeping a workload's admission fields yields the full tree pruned by the
//   rules of projected_json.h (written again here, from the header's contract);
// - it refuses for depth exactly the well-formed texts nested deeper than its bound;
// - a review that parses has a uid and an operation, and its object is the request's object
//   pruned to the fields admission reads; the response for it is JSON naming the same uid.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/invariant.h"
#include "api/json_nesting.h"
#include "policy/admission_fields.h"
#include "webhook/admission_review.h"
#include "webhook/projected_json.h"

namespace {

using modelgate::Result;
using modelgate::Status;
using modelgate::policy::FieldUse;
using nlohmann::json;
namespace webhook = modelgate::webhook;

// The value ParseProjectedJson keeps of `value` found at `path`; nullopt when it leaves the
// value out. `root` is whether the value is the document's root.
std::optional<json> Prune(const json& value, std::vector<std::string>& path,
                          const webhook::FieldUseFunction& use, bool root) {
  switch (use(path)) {
    case FieldUse::kUnused:
      return std::nullopt;
    case FieldUse::kWhole:
      return value;
    case FieldUse::kPartly:
      break;
  }
  if (value.is_array()) return root ? std::optional<json>(json::array()) : std::nullopt;
  if (!value.is_object()) return value;
  json out = json::object();
  for (const auto& [key, child] : value.items()) {
    path.push_back(key);
    std::optional<json> kept = Prune(child, path, use, false);
    path.pop_back();
    if (kept) out[key] = std::move(*kept);
  }
  return out;
}

FieldUse KeepEverything(std::span<const std::string>) { return FieldUse::kWhole; }

FieldUse WorkloadFields(std::span<const std::string> path) {
  return modelgate::policy::WorkloadFieldUse(path);
}

// The projection of a whole document by `use`, as the parser must produce it.
json ExpectedProjection(const json& full, const webhook::FieldUseFunction& use) {
  std::vector<std::string> path;
  std::optional<json> kept = Prune(full, path, use, true);
  return kept ? std::move(*kept) : json();
}

void CheckProjection(const char* data, size_t size, const json& full, bool full_ok, int nesting,
                     const webhook::FieldUseFunction& use) {
  Result<json> projected =
      webhook::ParseProjectedJson(data, size, use, webhook::kMaxAdmissionReviewDepth);
  if (projected.ok()) {
    MODELGATE_FUZZ_EXPECT(full_ok, "a text the projecting parser accepts is JSON");
  }
  if (!full_ok) return;
  const bool too_deep = nesting > webhook::kMaxAdmissionReviewDepth;
  MODELGATE_FUZZ_EXPECT(projected.ok() != too_deep,
                        "well-formed JSON is refused exactly when nested too deep");
  if (too_deep) {
    MODELGATE_FUZZ_EXPECT(projected.status().code() == Status::Code::kResourceExhausted,
                          "depth is refused as ResourceExhausted");
    return;
  }
  MODELGATE_FUZZ_EXPECT(*projected == ExpectedProjection(full, use),
                        "the projection keeps exactly the used fields");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const char* data = reinterpret_cast<const char*>(bytes);
  const json full = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  // nlohmann alone stops at a NUL byte; well-formed JSON has none.
  const bool full_ok = !full.is_discarded() && std::memchr(data, '\0', size) == nullptr;
  const int nesting = full_ok ? modelgate::JsonNestingDepth(std::string_view(data, size)) : 0;

  CheckProjection(data, size, full, full_ok, nesting, KeepEverything);
  CheckProjection(data, size, full, full_ok, nesting, WorkloadFields);

  Result<webhook::AdmissionRequest> review = webhook::ParseAdmissionReview(data, size);
  if (!review.ok()) {
    MODELGATE_FUZZ_EXPECT(!review.status().message().empty(), "a refusal says why");
    return 0;
  }
  MODELGATE_FUZZ_EXPECT(full_ok && nesting <= webhook::kMaxAdmissionReviewDepth,
                        "an accepted review is bounded JSON");
  MODELGATE_FUZZ_EXPECT(!review->uid.empty() && !review->operation.empty(),
                        "an accepted review has a uid and an operation");
  const json& request = full["request"];
  MODELGATE_FUZZ_EXPECT(request["uid"] == review->uid, "the uid is the request's");
  for (const auto& [key, object] :
       {std::pair{"object", &review->object}, std::pair{"oldObject", &review->old_object}}) {
    MODELGATE_FUZZ_EXPECT(object->is_null() || object->is_object(), "objects are objects");
    json expected;
    if (request.contains(key) && request[key].is_object()) {
      std::vector<std::string> path;
      expected = Prune(request[key], path, WorkloadFields, false).value_or(json());
    }
    MODELGATE_FUZZ_EXPECT(*object == expected, "the object keeps the fields admission reads");
  }

  webhook::AdmissionResponse response;
  response.uid = review->uid;
  response.allowed = false;
  response.message = review->name;
  const json answer = json::parse(webhook::SerializeAdmissionReview(response), nullptr, false);
  MODELGATE_FUZZ_EXPECT(!answer.is_discarded(), "the response is JSON");
  MODELGATE_FUZZ_EXPECT(answer["response"]["uid"] == review->uid, "the response names the uid");
  return 0;
}
