#include "kube/list_json.h"

#include <cstddef>
#include <vector>

namespace modelgate::kube {
namespace {

using Json = nlohmann::json;

// Where the parser is: the keys from the document's root to the current field, each with the
// nesting depth nlohmann reports for it (a key of the root object is at depth 1). Arrays have
// no keys, so they appear only as a jump in depth. The strings are reused, not reallocated,
// as the parse moves from field to field.
class KeyPath {
 public:
  void Enter(int depth, const std::string& key) {
    while (size_ > 0 && depths_[size_ - 1] >= depth) --size_;
    if (size_ == names_.size()) {
      names_.emplace_back();
      depths_.push_back(0);
    }
    names_[size_] = key;
    depths_[size_] = depth;
    ++size_;
  }

  // The path of the current field inside a list item: the root's "items" at depth 1, an array
  // at depth 1, an item object at depth 2, and so the item's own keys at depth 3. Empty when
  // the current field is not inside an item.
  std::span<const std::string> InItem() const {
    if (size_ < 2 || names_[0] != "items" || depths_[0] != 1 || depths_[1] != 3) return {};
    return {names_.data() + 1, size_ - 1};
  }

 private:
  std::vector<std::string> names_;
  std::vector<int> depths_;
  size_t size_ = 0;
};

}  // namespace

Json ParseListJson(std::string_view text, const ItemFieldFilter& keep) {
  if (!keep) return Json::parse(text, nullptr, /*allow_exceptions=*/false);
  KeyPath path;
  Json::parser_callback_t callback = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (event != Json::parse_event_t::key) return true;
    path.Enter(depth, parsed.get_ref<const std::string&>());
    std::span<const std::string> field = path.InItem();
    return field.empty() || keep(field);
  };
  return Json::parse(text, callback, /*allow_exceptions=*/false);
}

bool KeepAllButApplyBookkeeping(std::span<const std::string> path) {
  if (path.size() < 2 || path[0] != "metadata") return true;
  if (path[1] == "managedFields") return false;
  return !(path.size() == 3 && path[1] == "annotations" &&
           path[2] == "kubectl.kubernetes.io/last-applied-configuration");
}

}  // namespace modelgate::kube
