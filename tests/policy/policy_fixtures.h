// Builders for the ModelVersions, policies and requests of the policy tests.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "api/model_gate_policy.h"
#include "api/model_version.h"
#include "policy/admission_decision.h"
#include "policy/model_reference.h"

namespace modelgate::policy::testing {

// 2026-03-01T12:00:00Z, "now" in the tests.
inline Timestamp Now() {
  return std::chrono::sys_days{std::chrono::year{2026} / 3 / 1} + std::chrono::hours(12);
}

// A ModelVersion that passed all four gates an hour before Now(), with auc 0.91.
inline ModelVersion PassedModel(const std::string& ns, const std::string& name) {
  ModelVersion mv;
  mv.metadata.namespace_ = ns;
  mv.metadata.name = name;
  mv.metadata.generation = 2;
  mv.spec.model = "fraud";
  mv.spec.version = name;
  mv.spec.artifact.uri = "s3://models/" + ns + "/" + name;
  mv.spec.artifact.digest = "sha256:" + std::string(64, 'a');
  mv.status.phase = ModelVersionPhase::kPassed;
  mv.status.observed_generation = 2;
  mv.status.validated_digest = *mv.spec.artifact.digest;
  mv.status.validated_at = Now() - std::chrono::hours(1);
  for (GateName g : kAllGates) {
    GateStatus gs;
    gs.name = g;
    gs.phase = GatePhase::kPassed;
    mv.status.gates.push_back(gs);
  }
  mv.status.FindGate(GateName::kQuality)->metrics["auc"] = 0.91;
  mv.status.FindGate(GateName::kStress)->metrics["p99Ms"] = 40;
  return mv;
}

// A policy named `name` over every namespace and kind, requiring all gates.
inline ModelGatePolicy Policy(const std::string& name,
                              EnforcementMode mode = EnforcementMode::kEnforce) {
  ModelGatePolicy p;
  p.metadata.name = name;
  p.spec.kinds.assign(std::begin(kAllWorkloadKinds), std::end(kAllWorkloadKinds));
  p.spec.required_gates.assign(kAllGates.begin(), kAllGates.end());
  p.spec.enforcement = mode;
  return p;
}

// A Deployment ns/name whose pod template names `models` in the annotation.
inline nlohmann::json Deployment(const std::string& name, const std::string& models,
                                 nlohmann::json labels = nlohmann::json::object()) {
  nlohmann::json annotations = nlohmann::json::object();
  if (!models.empty()) annotations[kModelVersionAnnotation] = models;
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", name}, {"labels", labels}}},
          {"spec", {{"template", {{"metadata", {{"annotations", annotations}}}}}}}};
}

// A CREATE request for `object` of group/kind in `ns` by user alice.
inline AdmissionAttributes Create(const nlohmann::json& object, const std::string& ns,
                                  const std::string& group = "apps",
                                  const std::string& kind = "Deployment") {
  AdmissionAttributes a;
  a.group = group;
  a.kind = kind;
  a.ns = ns;
  a.name = object["metadata"].value("name", "");
  a.operation = "CREATE";
  a.username = "alice";
  a.groups = {"system:authenticated"};
  a.object = &object;
  return a;
}

}  // namespace modelgate::policy::testing
