#include "api/label_selector.h"

#include <algorithm>

#include "api/enum_names.h"
#include "api/field_reader.h"

namespace modelgate {
namespace {

constexpr api_internal::EnumName<SelectorOperator> kOperatorNames[] = {
    {SelectorOperator::kIn, "In"},
    {SelectorOperator::kNotIn, "NotIn"},
    {SelectorOperator::kExists, "Exists"},
    {SelectorOperator::kDoesNotExist, "DoesNotExist"},
};

bool Contains(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

}  // namespace

const char* ToString(SelectorOperator op) { return api_internal::NameOf(kOperatorNames, op); }

Result<SelectorOperator> SelectorOperatorFromString(std::string_view text) {
  return api_internal::ParseName(kOperatorNames, text);
}

bool LabelSelector::Matches(const std::map<std::string, std::string>& labels) const {
  for (const auto& [key, value] : match_labels) {
    auto it = labels.find(key);
    if (it == labels.end() || it->second != value) return false;
  }
  for (const auto& req : match_expressions) {
    auto it = labels.find(req.key);
    bool present = it != labels.end();
    switch (req.op) {
      case SelectorOperator::kIn:
        if (!present || !Contains(req.values, it->second)) return false;
        break;
      case SelectorOperator::kNotIn:
        if (present && Contains(req.values, it->second)) return false;
        break;
      case SelectorOperator::kExists:
        if (!present) return false;
        break;
      case SelectorOperator::kDoesNotExist:
        if (present) return false;
        break;
    }
  }
  return true;
}

Result<LabelSelector> LabelSelectorFromJson(const nlohmann::json& json, const std::string& path,
                                            const DecodeOptions& options) {
  api_internal::FieldReader r(json, path, options);
  LabelSelector selector;
  r.StringMap("matchLabels", &selector.match_labels);
  const nlohmann::json* exprs = r.Get("matchExpressions");
  if (exprs != nullptr && r.ok()) {
    if (!exprs->is_array()) {
      r.Fail("matchExpressions", "must be a list, got " + api_internal::Shown(*exprs));
    }
    for (size_t i = 0; r.ok() && i < exprs->size(); ++i) {
      api_internal::FieldReader e(
          (*exprs)[i], api_internal::IndexPath(r.PathOf("matchExpressions"), i), options);
      LabelSelectorRequirement req;
      e.RequiredString("key", &req.key);
      e.RequiredEnum("operator", &req.op, SelectorOperatorFromString);
      e.StringList("values", &req.values);
      if (e.ok()) {
        bool needs_values = req.op == SelectorOperator::kIn || req.op == SelectorOperator::kNotIn;
        if (needs_values && req.values.empty()) {
          e.Fail("values", std::string("must be non-empty when operator is ") + ToString(req.op));
        } else if (!needs_values && !req.values.empty()) {
          e.Fail("values", std::string("must be empty when operator is ") + ToString(req.op));
        }
      }
      r.Absorb(e.Finish());
      selector.match_expressions.push_back(std::move(req));
    }
  }
  MODELGATE_RETURN_IF_ERROR(r.Finish());
  return selector;
}

nlohmann::json ToJson(const LabelSelector& selector) {
  nlohmann::json j = nlohmann::json::object();
  if (!selector.match_labels.empty()) j["matchLabels"] = selector.match_labels;
  if (!selector.match_expressions.empty()) {
    nlohmann::json exprs = nlohmann::json::array();
    for (const auto& req : selector.match_expressions) {
      nlohmann::json e = {{"key", req.key}, {"operator", ToString(req.op)}};
      if (!req.values.empty()) e["values"] = req.values;
      exprs.push_back(std::move(e));
    }
    j["matchExpressions"] = std::move(exprs);
  }
  return j;
}

}  // namespace modelgate
