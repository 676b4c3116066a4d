#include "policy/policy_set.h"

#include <algorithm>
#include <functional>
#include <optional>

namespace modelgate::policy {
namespace {

// Hashes combined in order (boost::hash_combine's mixing step).
class Hasher {
 public:
  template <typename T>
  Hasher& Add(const T& value) {
    h_ ^= std::hash<T>{}(value) + 0x9e3779b97f4a7c15ULL + (h_ << 6) + (h_ >> 2);
    return *this;
  }
  template <typename T>
  Hasher& Add(const std::optional<T>& value) {
    Add(value.has_value());
    if (value) Add(*value);
    return *this;
  }
  size_t value() const { return h_; }

 private:
  size_t h_ = 0;
};

size_t HashRequirements(const ModelGatePolicySpec& spec) {
  Hasher h;
  for (GateName gate : spec.required_gates) h.Add(static_cast<int>(gate));
  h.Add(spec.floors.size());
  for (const MetricFloor& f : spec.floors) {
    h.Add(static_cast<int>(f.gate)).Add(f.metric).Add(f.min).Add(f.max);
  }
  h.Add(spec.max_validation_age.has_value());
  if (spec.max_validation_age) h.Add(spec.max_validation_age->count());
  return h.value();
}

// Whether two policies ask the same of a model: then a model meets both or neither, for the
// same reasons. MeetsRequirements and UnmetRequirements read nothing else of a policy; a field
// they come to read belongs here and in HashRequirements.
bool SameRequirements(const ModelGatePolicySpec& a, const ModelGatePolicySpec& b) {
  return a.required_gates == b.required_gates && a.max_validation_age == b.max_validation_age &&
         a.floors == b.floors;
}

size_t HashSelector(const LabelSelector& selector) {
  Hasher h;
  for (const auto& [key, value] : selector.match_labels) h.Add(key).Add(value);
  h.Add(selector.match_expressions.size());
  for (const LabelSelectorRequirement& r : selector.match_expressions) {
    h.Add(r.key).Add(static_cast<int>(r.op)).Add(r.values.size());
    for (const std::string& v : r.values) h.Add(v);
  }
  return h.value();
}

// Gives each item the index of the first item equal to it: `hash` and `equal` take indexes.
template <typename Hash, typename Equal>
std::vector<uint32_t> Classes(size_t n, const Hash& hash, const Equal& equal) {
  std::vector<uint32_t> classes(n);
  std::unordered_map<size_t, std::vector<uint32_t>> firsts;  // hash -> first of each class
  for (uint32_t i = 0; i < n; ++i) {
    std::vector<uint32_t>& bucket = firsts[hash(i)];
    auto same = std::find_if(bucket.begin(), bucket.end(), [&](uint32_t j) { return equal(i, j); });
    if (same == bucket.end()) {
      bucket.push_back(i);
      classes[i] = i;
    } else {
      classes[i] = *same;
    }
  }
  return classes;
}

std::vector<uint32_t> SelectorClasses(const std::vector<ModelGatePolicy>& policies,
                                      std::optional<LabelSelector> ModelGatePolicySpec::*field) {
  // Policies without a selector are left out of the classes and marked afterwards.
  auto classes = Classes(
      policies.size(),
      [&](uint32_t i) {
        const auto& s = policies[i].spec.*field;
        return s ? HashSelector(*s) : 0;
      },
      [&](uint32_t i, uint32_t j) { return policies[i].spec.*field == policies[j].spec.*field; });
  for (size_t i = 0; i < policies.size(); ++i) {
    if (!(policies[i].spec.*field)) classes[i] = PolicySet::kNoSelector;
  }
  return classes;
}

void Look(const std::unordered_map<std::string_view, std::vector<PolicySet::ExemptionRef>>& names,
          std::string_view name, std::vector<PolicySet::ExemptionRef>* out) {
  if (names.empty()) return;
  auto it = names.find(name);
  if (it != names.end()) out->insert(out->end(), it->second.begin(), it->second.end());
}

}  // namespace

PolicySet::PolicySet(std::vector<ModelGatePolicy> policies) : policies_(std::move(policies)) {
  std::sort(policies_.begin(), policies_.end(),
            [](const ModelGatePolicy& a, const ModelGatePolicy& b) {
              return a.metadata.name < b.metadata.name;
            });
}

const PolicySet::Indexes& PolicySet::BuildIndex() const {
  std::call_once(indexed_, [this] {
    const size_t n = policies_.size();
    index_.requirement_class = Classes(
        n, [&](uint32_t i) { return HashRequirements(policies_[i].spec); },
        [&](uint32_t i, uint32_t j) {
          return SameRequirements(policies_[i].spec, policies_[j].spec);
        });
    index_.namespace_selector_class =
        SelectorClasses(policies_, &ModelGatePolicySpec::namespace_selector);
    index_.object_selector_class =
        SelectorClasses(policies_, &ModelGatePolicySpec::object_selector);
    for (uint32_t p = 0; p < n; ++p) {
      const auto& exemptions = policies_[p].spec.exemptions;
      for (uint32_t e = 0; e < exemptions.size(); ++e) {
        const ExemptionRef ref{p, e};
        for (const std::string& s : exemptions[e].namespaces) index_.by_namespace[s].push_back(ref);
        for (const std::string& s : exemptions[e].users) index_.by_user[s].push_back(ref);
        for (const std::string& s : exemptions[e].groups) index_.by_group[s].push_back(ref);
        for (const std::string& s : exemptions[e].service_accounts) {
          index_.by_service_account[s].push_back(ref);
        }
      }
    }
    built_.store(true, std::memory_order_release);
  });
  return index_;
}

std::vector<PolicySet::ExemptionRef> PolicySet::ExemptionsNaming(
    std::string_view ns, std::string_view user, std::string_view service_account,
    const std::vector<std::string>& groups) const {
  const Indexes& index = Index();
  std::vector<ExemptionRef> out;
  Look(index.by_namespace, ns, &out);
  Look(index.by_user, user, &out);
  if (!service_account.empty()) Look(index.by_service_account, service_account, &out);
  for (const std::string& g : groups) Look(index.by_group, g, &out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace modelgate::policy
