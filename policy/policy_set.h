// The cluster's ModelGatePolicies as admission decisions read them: sorted by name, with what
// every decision would otherwise work out again for every policy (which policies ask the same
// of a model, which select namespaces or objects alike, which exemptions name a namespace,
// user, group or service account) worked out once per version of the set.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/model_gate_policy.h"

namespace modelgate::policy {

class PolicySet {
 public:
  // A policy's index in the set and one of its exemptions' index in spec.exemptions.
  struct ExemptionRef {
    uint32_t policy;
    uint32_t exemption;
    auto operator<=>(const ExemptionRef&) const = default;
  };
  static constexpr uint32_t kNoSelector = UINT32_MAX;

  PolicySet() = default;
  // Sorts `policies` by name.
  explicit PolicySet(std::vector<ModelGatePolicy> policies);
  PolicySet(const PolicySet&) = delete;
  PolicySet& operator=(const PolicySet&) = delete;

  const std::vector<ModelGatePolicy>& policies() const { return policies_; }
  size_t size() const { return policies_.size(); }
  bool empty() const { return policies_.empty(); }
  const ModelGatePolicy& operator[](size_t i) const { return policies_[i]; }
  auto begin() const { return policies_.begin(); }
  auto end() const { return policies_.end(); }

  // Policies that ask the same of a model (required gates, floors, maximum validation age)
  // share a class, named by the index of the first of them: a model meets all of them or
  // none, for the same reasons.
  uint32_t RequirementClass(size_t i) const { return Index().requirement_class[i]; }
  // Policies with equal namespace selectors share a class, named by the index of the first
  // of them; kNoSelector for a policy without one. The same for object selectors.
  uint32_t NamespaceSelectorClass(size_t i) const { return Index().namespace_selector_class[i]; }
  uint32_t ObjectSelectorClass(size_t i) const { return Index().object_selector_class[i]; }

  // Every exemption that lists namespace `ns`, user `user`, service account
  // `service_account` ("namespace/name"; "" for none) or one of `groups`, expired or not,
  // sorted by policy and then by exemption, each once.
  std::vector<ExemptionRef> ExemptionsNaming(std::string_view ns, std::string_view user,
                                             std::string_view service_account,
                                             const std::vector<std::string>& groups) const;

 private:
  using Names = std::unordered_map<std::string_view, std::vector<ExemptionRef>>;
  struct Indexes {
    std::vector<uint32_t> requirement_class;
    std::vector<uint32_t> namespace_selector_class;
    std::vector<uint32_t> object_selector_class;
    // Keyed by views of the policies' own strings.
    Names by_namespace, by_user, by_group, by_service_account;
  };
  // Built on first use: a catalog replaces its set on every policy event while it syncs,
  // and only the last of those sets is read. A decision asks for it three times for every
  // policy, and std::call_once costs a call into pthread_once even once done.
  const Indexes& Index() const {
    return built_.load(std::memory_order_acquire) ? index_ : BuildIndex();
  }
  const Indexes& BuildIndex() const;

  std::vector<ModelGatePolicy> policies_;
  mutable std::once_flag indexed_;
  mutable std::atomic<bool> built_{false};  // set once index_ is complete
  mutable Indexes index_;
};

}  // namespace modelgate::policy
