// The admission decision: given one request (a workload being created or updated, or a
// write to a ModelVersion's status), the cluster's ModelVersions, policies and namespaces,
// and the time, decide allow or deny, with every reason. Pure: no I/O, no clock.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/timestamp.h"
#include "policy/admission_catalog.h"

namespace modelgate::policy {

// Who does what to which object; the fields of an AdmissionReview request that matter.
struct AdmissionAttributes {
  std::string group;         // request.kind.group: "apps"
  std::string kind;          // request.kind.kind: "Deployment"
  std::string resource;      // request.resource.resource: "deployments"
  std::string sub_resource;  // "status" for a status write
  std::string ns;
  std::string name;       // may be empty on CREATE with generateName
  std::string operation;  // CREATE, UPDATE, DELETE, CONNECT
  std::string username;
  std::vector<std::string> groups;
  const nlohmann::json* object = nullptr;      // the new object; null for DELETE
  const nlohmann::json* old_object = nullptr;  // the object before an UPDATE
};

struct DecisionOptions {
  // The only user allowed to write modelversions/status.
  std::string operator_username = "system:serviceaccount:modelgate-system:modelgate-operator";
};

struct AdmissionDecision {
  bool allowed = true;
  // On denial: every Enforce reason, joined by "; ". Each reason reads like
  // "Deployment ml/fraud-api: ModelVersion ml/fraud-v3 has not passed gate quality: auc
  // 0.71 < floor 0.80 (policy production)".
  std::string message;
  std::vector<std::string> denials;   // the Enforce reasons that make up `message`
  std::vector<std::string> warnings;  // reasons from Warn policies
  std::map<std::string, std::string> audit_annotations;  // reasons from Audit policies
  std::vector<std::string> matched_policies;             // names, for logs and `check`
};

// Decides one request. Requests modelgate does not guard (other kinds, DELETE, CONNECT,
// subresources of workloads) are allowed. An UPDATE that leaves the workload's model
// references unchanged is allowed too: it does not roll out a model, and refusing it would
// block scaling and repairs of a running workload whose validation has since expired.
// Under several matching policies the strictest outcome wins and every reason is reported.
AdmissionDecision Decide(const AdmissionAttributes& request, const AdmissionCatalog& catalog,
                         Timestamp now, const DecisionOptions& options = {});

// True for workloads that are not new rollouts and are admitted without a policy check:
// modelgate's validation Jobs (a Job created by options.operator_username), and objects that
// a Kubernetes workload controller (deployment, replicaset, statefulset, daemon-set, job and
// cronjob controllers, or kube-controller-manager itself) creates for a controlling owner —
// a ReplicaSet of a Deployment, a Pod of a Job — whose owner was checked when it was created.
bool IsAdmittedUpstream(const AdmissionAttributes& request, const DecisionOptions& options);

// The kind/ns/name prefix of messages: "Deployment ml/fraud-api".
std::string DescribeWorkload(const AdmissionAttributes& request);

}  // namespace modelgate::policy
