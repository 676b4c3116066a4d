// The body of a list response, as the kube-apiserver (or something in its place) sends a page
// of objects to the operator's and the webhook's caches, parsed with a filter that leaves out
// fields of its items (kube/list_json.h). Beyond not crashing, the filtered parse equals
// nlohmann's full parse with the same fields removed afterwards, and it refuses exactly the
// inputs the full parse refuses. The first input byte chooses the filter: the operator's
// (apply bookkeeping), the webhook's (what admission reads of a ModelVersion), or one that
// leaves out keys by their length and depth, to reach every shape of path.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/invariant.h"
#include "kube/list_json.h"
#include "policy/admission_fields.h"

namespace {

using Json = nlohmann::json;
using modelgate::kube::ItemFieldFilter;

// `value` with the fields `keep` refuses removed; `path` holds the keys above it.
Json Removed(const Json& value, std::vector<std::string>& path, const ItemFieldFilter& keep) {
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& element : value) out.push_back(Removed(element, path, keep));
    return out;
  }
  if (!value.is_object()) return value;
  Json out = Json::object();
  for (const auto& [key, child] : value.items()) {
    path.push_back(key);
    if (keep(path)) out[key] = Removed(child, path, keep);
    path.pop_back();
  }
  return out;
}

// The filter applied after a full parse: only to the items of a list that are objects.
Json RemovedFromItems(Json list, const ItemFieldFilter& keep) {
  if (!list.is_object()) return list;
  auto items = list.find("items");
  if (items == list.end() || !items->is_array()) return list;
  for (Json& item : *items) {
    if (!item.is_object()) continue;
    std::vector<std::string> path;
    item = Removed(item, path, keep);
  }
  return list;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = bytes[0];
  const std::string_view text(reinterpret_cast<const char*>(bytes + 1), size - 1);
  ItemFieldFilter keep;
  switch (control % 3) {
    case 0:
      keep = modelgate::kube::KeepAllButApplyBookkeeping;
      break;
    case 1:
      keep = modelgate::policy::ModelVersionFieldRead;
      break;
    default: {
      const size_t modulus = 2 + (control >> 4);
      keep = [modulus](std::span<const std::string> path) {
        return (path.back().size() + path.size()) % modulus != 0;
      };
    }
  }
  const Json filtered = modelgate::kube::ParseListJson(text, keep);
  const Json whole = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  MODELGATE_FUZZ_EXPECT(filtered.is_discarded() == whole.is_discarded(),
                        "the filter does not change which inputs are JSON");
  if (whole.is_discarded()) return 0;
  MODELGATE_FUZZ_EXPECT(filtered == RemovedFromItems(whole, keep),
                        "the filtered parse equals the full parse with the fields removed");
  return 0;
}
