// ModelGatePolicy (modelgate.io/v1alpha1, cluster-scoped): which workloads the admission
// webhook guards, which gates their models must have passed, floors on the measured numbers,
// how old a validation may be, and who is exempt. crds/modelgate.io_modelgatepolicies.yaml is
// the source of truth; ModelGatePolicyFromJson enforces the same rules and defaults.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_group.h"
#include "api/gate_name.h"
#include "api/label_selector.h"
#include "api/object_meta.h"
#include "api/status.h"
#include "api/timestamp.h"

namespace modelgate {

inline constexpr char kModelGatePolicyKind[] = "ModelGatePolicy";
inline constexpr char kModelGatePolicyPlural[] = "modelgatepolicies";

// Workload kinds a policy can cover. kInferenceService is KServe's; kModel is Seldon's.
enum class WorkloadKind {
  kPod,
  kDeployment,
  kStatefulSet,
  kDaemonSet,
  kReplicaSet,
  kJob,
  kCronJob,
  kInferenceService,
  kModel
};
// Every workload kind, the default of spec.kinds.
inline constexpr WorkloadKind kAllWorkloadKinds[] = {
    WorkloadKind::kPod,       WorkloadKind::kDeployment,       WorkloadKind::kStatefulSet,
    WorkloadKind::kDaemonSet, WorkloadKind::kReplicaSet,       WorkloadKind::kJob,
    WorkloadKind::kCronJob,   WorkloadKind::kInferenceService, WorkloadKind::kModel};
// The Kubernetes kind name: "Pod", "Deployment", ..., "InferenceService", "Model".
const char* ToString(WorkloadKind kind);
Result<WorkloadKind> WorkloadKindFromString(std::string_view text);

enum class EnforcementMode { kEnforce, kWarn, kAudit };
// "Enforce" (deny), "Warn" (admit with a warning) or "Audit" (admit, record only).
const char* ToString(EnforcementMode mode);
Result<EnforcementMode> EnforcementModeFromString(std::string_view text);

// A bound on one number a gate reports in ModelVersion.status.gates[].metrics.
struct MetricFloor {
  GateName gate = GateName::kQuality;
  std::string metric;         // a metrics key, e.g. "auc" or "p99Ms"
  std::optional<double> min;  // at least one of min and max is set; min <= max
  std::optional<double> max;

  bool operator==(const MetricFloor&) const = default;
};

// Requests that match any list here are admitted without checks.
struct PolicyExemption {
  std::vector<std::string> namespaces;
  std::vector<std::string> users;
  std::vector<std::string> groups;
  std::vector<std::string> service_accounts;  // "namespace/name"
  std::optional<Timestamp> expires_at;        // absent: never expires
  std::string reason;

  bool operator==(const PolicyExemption&) const = default;
};

struct ModelGatePolicySpec {
  std::optional<LabelSelector> namespace_selector;  // absent: every namespace
  std::optional<LabelSelector> object_selector;     // absent: every object
  std::vector<WorkloadKind> kinds;                  // default: every kind; never empty
  std::vector<GateName> required_gates;             // default: all four; a set, never empty
  std::vector<MetricFloor> floors;
  std::optional<std::chrono::nanoseconds> max_validation_age;  // a Go duration on the wire
  EnforcementMode enforcement = EnforcementMode::kEnforce;
  std::vector<PolicyExemption> exemptions;

  bool operator==(const ModelGatePolicySpec&) const = default;
};

struct ModelGatePolicyStatus {
  int64_t observed_generation = 0;

  bool operator==(const ModelGatePolicyStatus&) const = default;
};

struct ModelGatePolicy {
  ObjectMeta metadata;
  ModelGatePolicySpec spec;
  ModelGatePolicyStatus status;

  bool operator==(const ModelGatePolicy&) const = default;
};

// Decodes a whole ModelGatePolicy, validating like the CRD and applying its defaults (kinds
// and requiredGates default to all; enforcement to Enforce). apiVersion and kind, when
// present, must be modelgate.io/v1alpha1 and ModelGatePolicy.
// Returns InvalidArgument starting with the offending field path, e.g.
// "spec.enforcement: must be one of Enforce, Warn, Audit, got \"Block\"".
Result<ModelGatePolicy> ModelGatePolicyFromJson(const nlohmann::json& json,
                                                const DecodeOptions& options = {});

// Decodes just a spec; `path` prefixes errors (normally "spec").
Result<ModelGatePolicySpec> ModelGatePolicySpecFromJson(const nlohmann::json& json,
                                                        const std::string& path = "spec",
                                                        const DecodeOptions& options = {});

// Encodes `policy` with apiVersion and kind; ModelGatePolicyFromJson(ToJson(p)) == p.
nlohmann::json ToJson(const ModelGatePolicy& policy);
nlohmann::json ToJson(const ModelGatePolicySpec& spec);

}  // namespace modelgate
