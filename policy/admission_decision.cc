#include "policy/admission_decision.h"

#include <algorithm>
#include <deque>
#include <optional>

#include "policy/model_reference.h"
#include "policy/model_version_assessment.h"

namespace modelgate::policy {
namespace {

using nlohmann::json;

constexpr char kServiceAccountPrefix[] = "system:serviceaccount:";
// Namespaces carry this label automatically since Kubernetes 1.22; a namespace the catalog
// has not seen still matches selectors on it.
constexpr char kNamespaceNameLabel[] = "kubernetes.io/metadata.name";

std::map<std::string, std::string> ObjectLabels(const json* object) {
  std::map<std::string, std::string> labels;
  if (object == nullptr || !object->is_object()) return labels;
  auto meta = object->find("metadata");
  if (meta == object->end() || !meta->is_object()) return labels;
  auto l = meta->find("labels");
  if (l == meta->end() || !l->is_object()) return labels;
  for (const auto& [k, v] : l->items()) {
    if (v.is_string()) labels.emplace(k, v.get<std::string>());
  }
  return labels;
}

// "namespace/name" of the service account making the request, or "" for other users.
std::string ServiceAccountOf(const AdmissionAttributes& request) {
  std::string service_account;
  if (request.username.rfind(kServiceAccountPrefix, 0) == 0) {
    service_account = request.username.substr(sizeof(kServiceAccountPrefix) - 1);
    if (auto colon = service_account.find(':'); colon != std::string::npos) {
      service_account[colon] = '/';
    }
  }
  return service_account;
}

// The exemptions of a policy set that apply to one request, walked policy by policy in the
// set's order.
class Exemptions {
 public:
  Exemptions(const PolicySet& policies, const AdmissionAttributes& request, Timestamp now)
      : policies_(policies),
        named_(policies.ExemptionsNaming(request.ns, request.username, ServiceAccountOf(request),
                                         request.groups)),
        next_(named_.begin()),
        now_(now) {}

  // The first unexpired exemption of policy `i` that names the request, or nullptr.
  // REQUIRES: `i` is not smaller than in the call before.
  const PolicyExemption* Of(uint32_t i) {
    while (next_ != named_.end() && next_->policy < i) ++next_;
    for (; next_ != named_.end() && next_->policy == i; ++next_) {
      const PolicyExemption& e = policies_[i].spec.exemptions[next_->exemption];
      if (!e.expires_at || *e.expires_at > now_) return &e;
    }
    return nullptr;
  }

 private:
  const PolicySet& policies_;
  const std::vector<PolicySet::ExemptionRef> named_;
  std::vector<PolicySet::ExemptionRef>::const_iterator next_;
  const Timestamp now_;
};

// What selectors read of a request, each worked out on first use: most policies select
// neither by namespace nor by object labels, and then a request copies no label map. Each
// distinct selector is matched once per request.
class SelectorInputs {
 public:
  SelectorInputs(const AdmissionAttributes& request, const AdmissionCatalog& catalog,
                 const PolicySet& policies)
      : request_(request), catalog_(catalog), policies_(policies) {}

  // Whether policy `i` covers the request's kind and selects its namespace and object.
  bool Selects(uint32_t i, WorkloadKind kind) {
    const ModelGatePolicySpec& spec = policies_[i].spec;
    if (std::find(spec.kinds.begin(), spec.kinds.end(), kind) == spec.kinds.end()) return false;
    const uint32_t by_namespace = policies_.NamespaceSelectorClass(i);
    if (by_namespace != PolicySet::kNoSelector && !Memo(namespace_matches_, by_namespace, [&] {
          return policies_[by_namespace].spec.namespace_selector->Matches(NamespaceLabelsOf());
        })) {
      return false;
    }
    const uint32_t by_object = policies_.ObjectSelectorClass(i);
    return by_object == PolicySet::kNoSelector || Memo(object_matches_, by_object, [&] {
             return policies_[by_object].spec.object_selector->Matches(ObjectLabelsOf());
           });
  }

 private:
  enum : int8_t { kUnknown = -1 };
  template <typename F>
  bool Memo(std::vector<int8_t>& memo, uint32_t selector_class, const F& match) {
    if (memo.empty()) memo.assign(policies_.size(), kUnknown);
    int8_t& m = memo[selector_class];
    if (m == kUnknown) m = match() ? 1 : 0;
    return m == 1;
  }
  const NamespaceLabels& NamespaceLabelsOf() {
    if (!ns_labels_) {
      auto known = catalog_.FindNamespaceLabels(request_.ns);
      ns_labels_ = known ? *known : NamespaceLabels{};
      ns_labels_->emplace(kNamespaceNameLabel, request_.ns);
    }
    return *ns_labels_;
  }
  const std::map<std::string, std::string>& ObjectLabelsOf() {
    if (!object_labels_) object_labels_ = ObjectLabels(request_.object);
    return *object_labels_;
  }

  const AdmissionAttributes& request_;
  const AdmissionCatalog& catalog_;
  const PolicySet& policies_;
  std::optional<NamespaceLabels> ns_labels_;
  std::optional<std::map<std::string, std::string>> object_labels_;
  std::vector<int8_t> namespace_matches_;  // by selector class: kUnknown, 0 or 1
  std::vector<int8_t> object_matches_;
};

// A model reference resolved against the catalog: the ModelVersions that may satisfy it
// (any one passing is enough), or a reason it cannot.
struct ResolvedModel {
  std::vector<std::shared_ptr<const ModelRecord>> candidates;
  std::string unresolved;  // set when candidates is empty
};

std::vector<ResolvedModel> Resolve(const WorkloadModels& models, const AdmissionCatalog& catalog,
                                   std::string_view ns) {
  std::vector<ResolvedModel> out;
  for (const ModelReference& ref : models.named) {
    ResolvedModel r;
    if (auto mv = catalog.FindModelVersion(ref.ns, ref.name)) {
      r.candidates.push_back(std::move(mv));
    } else {
      r.unresolved = "ModelVersion " + ref.ToString() + " does not exist";
    }
    out.push_back(std::move(r));
  }
  for (const std::string& uri : models.storage_uris) {
    ResolvedModel r;
    auto all = catalog.FindModelVersionsByArtifactUri(uri);
    // A ModelVersion in the workload's own namespace speaks for it; others only if none does.
    for (auto& mv : all) {
      if (mv->ns() == ns) r.candidates.push_back(mv);
    }
    if (r.candidates.empty()) r.candidates = std::move(all);
    if (r.candidates.empty()) {
      r.unresolved = "storageUri " + uri + " is not the artifact of any known ModelVersion";
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string NameOf(const ModelRecord& mv) { return "ModelVersion " + std::string(mv.key()); }

// Reasons why the resolved models do not satisfy `policy`, without the workload prefix.
std::vector<std::string> Violations(const std::vector<ResolvedModel>& models,
                                    const Status& extraction, const ModelGatePolicySpec& policy,
                                    Timestamp now) {
  std::vector<std::string> out;
  if (!extraction.ok()) {
    out.push_back(extraction.message());
    return out;
  }
  if (models.empty()) {
    out.push_back(std::string("references no ModelVersion (set the annotation ") +
                  kModelVersionAnnotation + ")");
    return out;
  }
  for (const ResolvedModel& m : models) {
    if (m.candidates.empty()) {
      out.push_back(m.unresolved);
      continue;
    }
    bool satisfied = false;
    for (const auto& mv : m.candidates) {
      if (MeetsRequirements(*mv, policy, now)) {
        satisfied = true;
        break;
      }
    }
    if (satisfied) continue;
    // Only a refusal pays for its messages: those of the first candidate.
    const ModelRecord& first = *m.candidates.front();
    for (const std::string& u : UnmetRequirements(first, policy, now)) {
      out.push_back(NameOf(first) + " " + u);
    }
  }
  return out;
}

// The violations of each distinct set of requirements a request's policies ask for, worked out
// once: policies that differ in their selectors, exemptions or enforcement but require the same
// gates and floors (per team, per environment) cost one assessment, not one each.
class ViolationsMemo {
 public:
  ViolationsMemo(const std::vector<ResolvedModel>& models, const Status& extraction,
                 const PolicySet& policies, Timestamp now)
      : models_(models), extraction_(extraction), policies_(policies), now_(now) {}

  const std::vector<std::string>& Of(uint32_t i) {
    if (slots_.empty()) slots_.assign(policies_.size(), kNone);
    uint32_t& slot = slots_[policies_.RequirementClass(i)];
    if (slot == kNone) {
      slot = static_cast<uint32_t>(entries_.size());
      entries_.push_back(Violations(models_, extraction_, policies_[i].spec, now_));
    }
    return entries_[slot];
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  const std::vector<ResolvedModel>& models_;
  const Status& extraction_;
  const PolicySet& policies_;
  const Timestamp now_;
  std::vector<uint32_t> slots_;  // by requirement class: an index into entries_, or kNone
  std::deque<std::vector<std::string>> entries_;  // references handed out stay valid as it grows
};

// The audit annotation key for a policy: a qualified name of at most 63 characters (the API
// server prefixes it with the webhook's name).
std::string AuditKey(const std::string& policy_name) {
  std::string key = "policy-" + policy_name;
  if (key.size() > 63) key.resize(63);
  while (!key.empty() && (key.back() == '-' || key.back() == '.')) key.pop_back();
  return key;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out.append(sep);
    out.append(p);
  }
  return out;
}

AdmissionDecision DecideStatusWrite(const AdmissionAttributes& request,
                                    const DecisionOptions& options) {
  AdmissionDecision d;
  if (request.username == options.operator_username) return d;
  d.allowed = false;
  d.message = "ModelVersion " + request.ns + "/" + request.name +
              ": status may only be written by " + options.operator_username + ", not by " +
              (request.username.empty() ? std::string("an anonymous user") : request.username) +
              " (a model's validation result comes from its CI gates)";
  return d;
}

}  // namespace

std::string DescribeWorkload(const AdmissionAttributes& request) {
  std::string name = request.name;
  if (name.empty() && request.object != nullptr && request.object->is_object()) {
    const json* meta =
        request.object->contains("metadata") ? &(*request.object)["metadata"] : nullptr;
    if (meta != nullptr && meta->is_object() && meta->contains("generateName") &&
        (*meta)["generateName"].is_string()) {
      name = (*meta)["generateName"].get<std::string>() + "*";
    }
  }
  return request.kind + " " + (request.ns.empty() ? "" : request.ns + "/") + name;
}

namespace {

// Users whose workloads are not new rollouts: the Kubernetes controllers that make an owner's
// children from its template (that owner was itself checked when it was created), with
// per-controller credentials or the controller manager's own.
bool IsWorkloadController(const std::string& username) {
  static const char* const kControllers[] = {
      "system:serviceaccount:kube-system:deployment-controller",
      "system:serviceaccount:kube-system:replicaset-controller",
      "system:serviceaccount:kube-system:statefulset-controller",
      "system:serviceaccount:kube-system:daemon-set-controller",
      "system:serviceaccount:kube-system:job-controller",
      "system:serviceaccount:kube-system:cronjob-controller",
      "system:kube-controller-manager"};
  for (const char* controller : kControllers) {
    if (username == controller) return true;
  }
  return false;
}

bool HasControllerOwner(const nlohmann::json& object) {
  const auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return false;
  const auto owners = metadata->find("ownerReferences");
  if (owners == metadata->end() || !owners->is_array()) return false;
  for (const nlohmann::json& owner : *owners) {
    const auto controller = owner.find("controller");
    if (owner.is_object() && controller != owner.end() && controller->is_boolean() &&
        controller->get<bool>()) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IsAdmittedUpstream(const AdmissionAttributes& request, const DecisionOptions& options) {
  if (request.object == nullptr) return false;
  // modelgate's own validation Jobs run a candidate on purpose, before it has passed.
  if (request.username == options.operator_username && request.group == "batch" &&
      request.kind == "Job") {
    return true;
  }
  return IsWorkloadController(request.username) && HasControllerOwner(*request.object);
}

AdmissionDecision Decide(const AdmissionAttributes& request, const AdmissionCatalog& catalog,
                         Timestamp now, const DecisionOptions& options) {
  if (request.group == "modelgate.io" && request.resource == "modelversions" &&
      request.sub_resource == "status" &&
      (request.operation == "UPDATE" || request.operation == "CREATE")) {
    return DecideStatusWrite(request, options);
  }
  AdmissionDecision decision;
  if (request.operation != "CREATE" && request.operation != "UPDATE") return decision;
  if (!request.sub_resource.empty() || request.object == nullptr) return decision;
  auto kind = WorkloadKindOf(request.group, request.kind);
  if (!kind.ok()) return decision;
  if (IsAdmittedUpstream(request, options)) return decision;

  const std::shared_ptr<const PolicySet> policies = catalog.Policies();
  SelectorInputs selector_inputs(request, catalog, *policies);

  auto models = ExtractWorkloadModels(*request.object, *kind, request.ns);
  if (request.operation == "UPDATE" && request.old_object != nullptr && models.ok()) {
    auto old_models = ExtractWorkloadModels(*request.old_object, *kind, request.ns);
    if (old_models.ok() && *old_models == *models) return decision;
  }
  const Status extraction = models.ok() ? Status::Ok() : models.status();
  std::vector<ResolvedModel> resolved;
  if (models.ok()) resolved = Resolve(*models, catalog, request.ns);

  ViolationsMemo violations(resolved, extraction, *policies, now);
  Exemptions exemptions(*policies, request, now);
  std::optional<std::string> workload;  // described once, when a reason needs it
  std::vector<std::string> denials;
  for (uint32_t i = 0; i < policies->size(); ++i) {
    if (!selector_inputs.Selects(i, *kind)) continue;
    const ModelGatePolicy& policy = (*policies)[i];
    if (decision.matched_policies.empty()) decision.matched_policies.reserve(policies->size() - i);
    decision.matched_policies.push_back(policy.metadata.name);
    if (const PolicyExemption* e = exemptions.Of(i)) {
      decision.audit_annotations[AuditKey(policy.metadata.name)] =
          "exempt" + (e->reason.empty() ? std::string() : ": " + e->reason);
      continue;
    }
    std::vector<std::string> reasons;
    for (const std::string& v : violations.Of(i)) {
      if (!workload) workload = DescribeWorkload(request);
      reasons.push_back(*workload + ": " + v + " (policy " + policy.metadata.name + ")");
    }
    if (reasons.empty()) continue;
    switch (policy.spec.enforcement) {
      case EnforcementMode::kEnforce:
        denials.insert(denials.end(), reasons.begin(), reasons.end());
        break;
      case EnforcementMode::kWarn:
        decision.warnings.insert(decision.warnings.end(), reasons.begin(), reasons.end());
        break;
      case EnforcementMode::kAudit:
        decision.audit_annotations[AuditKey(policy.metadata.name)] = Join(reasons, "; ");
        break;
    }
  }
  if (!denials.empty()) {
    decision.allowed = false;
    decision.message = Join(denials, "; ");
    decision.denials = std::move(denials);
  }
  return decision;
}

}  // namespace modelgate::policy
