#include "operator/validation_job.h"

#include <openssl/sha.h>

#include <cstdio>

namespace modelgate::op {
namespace {

constexpr size_t kMaxObjectNameBytes = 63;
constexpr char kConfigVolume[] = "gate-config";
constexpr char kTmpVolume[] = "tmp";

std::string Sha256Hex8(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  char hex[9];
  std::snprintf(hex, sizeof(hex), "%02x%02x%02x%02x", digest[0], digest[1], digest[2], digest[3]);
  return hex;
}

// Every container gets the same hardening; the validator and the serving images both run
// with a read-only root and write only to the /tmp emptyDir.
Json ContainerSecurityContext() {
  return {{"allowPrivilegeEscalation", false},
          {"readOnlyRootFilesystem", true},
          {"capabilities", {{"drop", Json::array({"ALL"})}}}};
}

Json ResourcesJson(const ResourceRequirements& resources) {
  Json out = Json::object();
  if (!resources.requests.empty()) out["requests"] = resources.requests;
  if (!resources.limits.empty()) out["limits"] = resources.limits;
  return out;
}

// A serving container as a native sidecar: an init container that keeps running
// (restartPolicy Always) while the validator talks to it.
Json ServingSidecar(const char* name, const ModelVersion& model, int port,
                    const ValidationJobOptions& options) {
  const Serving& serving = model.spec.serving;
  Json container = {
      {"name", name},
      {"image", serving.image},
      {"restartPolicy", "Always"},
      {"ports", Json::array({{{"name", "http"}, {"containerPort", port}, {"protocol", "TCP"}}})},
      {"readinessProbe",
       {{"httpGet", {{"path", EffectiveReadinessPath(model.spec)}, {"port", port}}},
        {"periodSeconds", 2},
        {"failureThreshold", 3}}},
      {"securityContext", ContainerSecurityContext()},
      {"volumeMounts", Json::array({{{"name", kTmpVolume}, {"mountPath", "/tmp"}}})},
  };
  if (!serving.args.empty()) container["args"] = serving.args;
  // What to serve and where: an image written for modelgate reads these; the spec's own env
  // comes after them, so a user's value for the same name wins.
  Json env = Json::array({{{"name", kArtifactUriEnv}, {"value", model.spec.artifact.uri}},
                          {{"name", kModelNameEnv}, {"value", EffectiveModelName(model.spec)}},
                          {{"name", kServingPortEnv}, {"value", std::to_string(port)}}});
  if (model.spec.artifact.digest) {
    env.push_back({{"name", kArtifactDigestEnv}, {"value", *model.spec.artifact.digest}});
  }
  for (const EnvVar& var : serving.env) env.push_back({{"name", var.name}, {"value", var.value}});
  container["env"] = env;
  if (serving.resources) container["resources"] = ResourcesJson(*serving.resources);
  if (!options.image_pull_policy.empty()) container["imagePullPolicy"] = options.image_pull_policy;
  return container;
}

int ChampionPort(const ModelVersion& mv, const ModelVersion& champion,
                 const ValidationJobOptions& options) {
  const int port = champion.spec.serving.port;
  return port == mv.spec.serving.port ? options.champion_port : port;
}

// metadata (identity and labels) and spec of a ModelVersion, as gate.json carries it.
Json ModelVersionForGate(const ModelVersion& model, const GatesSpec* gates) {
  ModelVersion copy;
  copy.metadata.name = model.metadata.name;
  copy.metadata.namespace_ = model.metadata.namespace_;
  copy.metadata.uid = model.metadata.uid;
  copy.metadata.generation = model.metadata.generation;
  copy.metadata.labels = model.metadata.labels;
  copy.spec = model.spec;
  if (gates != nullptr) copy.spec.gates = *gates;
  Json out = ToJson(copy);
  out.erase("status");
  return out;
}

Json GateRunJson(const ModelVersion& mv, GateName gate, const EffectiveGates& effective,
                 const ModelVersion* champion, const ValidationJobOptions& options) {
  Json run = {{"apiVersion", kApiVersion},
              {"kind", "GateRun"},
              {"gate", ToString(gate)},
              {"modelVersion", ModelVersionForGate(mv, &effective.gates)},
              {"endpoints", {{"candidate", CandidateEndpoint(mv)}}}};
  if (champion != nullptr) {
    run["champion"] = ModelVersionForGate(*champion, nullptr);
    run["endpoints"]["champion"] = ChampionEndpoint(mv, *champion, options);
  }
  return run;
}

}  // namespace

std::string RevalidateToken(const ObjectMeta& mv) {
  auto it = mv.annotations.find(kRevalidateAnnotation);
  if (it == mv.annotations.end()) return "";
  return it->second.substr(0, kMaxRevalidateTokenBytes);
}

std::string ValidationJobName(const ObjectMeta& mv, GateName gate, const std::string& token) {
  const std::string generation = std::to_string(mv.generation);
  const std::string hash = Sha256Hex8(mv.namespace_ + "/" + mv.name + "/" + mv.uid + "/" +
                                      generation + "/" + ToString(gate) + "/" + token);
  const std::string suffix = std::string("-") + ToString(gate) + "-g" + generation + "-" + hash;
  std::string prefix = mv.name;
  if (prefix.size() + suffix.size() > kMaxObjectNameBytes) {
    prefix.resize(kMaxObjectNameBytes - suffix.size());
    // A DNS label may not end in '-' or '.' before the suffix's own '-'.
    while (!prefix.empty() && (prefix.back() == '-' || prefix.back() == '.')) prefix.pop_back();
  }
  return prefix + suffix;
}

std::map<std::string, std::string> ValidationJobLabels(const ObjectMeta& mv, GateName gate) {
  return {{kManagedByLabel, kManagedByValue},
          {kModelVersionLabel, mv.name.substr(0, kMaxObjectNameBytes)},
          {kGateLabel, ToString(gate)},
          {kGenerationLabel, std::to_string(mv.generation)}};
}

Json ControllerReference(const ObjectMeta& mv) {
  return {{"apiVersion", kApiVersion}, {"kind", kModelVersionKind},
          {"name", mv.name},           {"uid", mv.uid},
          {"controller", true},        {"blockOwnerDeletion", true}};
}

std::string CandidateEndpoint(const ModelVersion& mv) {
  return "http://127.0.0.1:" + std::to_string(mv.spec.serving.port);
}

std::string ChampionEndpoint(const ModelVersion& mv, const ModelVersion& champion,
                             const ValidationJobOptions& options) {
  return "http://127.0.0.1:" + std::to_string(ChampionPort(mv, champion, options));
}

ValidationJobObjects BuildValidationJob(const ModelVersion& mv, GateName gate,
                                        const EffectiveGates& effective,
                                        const ModelVersion* champion, const std::string& token,
                                        const ValidationJobOptions& options) {
  const std::string name = ValidationJobName(mv.metadata, gate, token);
  const Json labels = ValidationJobLabels(mv.metadata, gate);
  const Json metadata = {{"name", name},
                         {"namespace", mv.metadata.namespace_},
                         {"labels", labels},
                         {"ownerReferences", Json::array({ControllerReference(mv.metadata)})}};

  ValidationJobObjects out;
  out.config_map = {
      {"apiVersion", "v1"},
      {"kind", "ConfigMap"},
      {"metadata", metadata},
      {"data", {{kGateConfigKey, GateRunJson(mv, gate, effective, champion, options).dump()}}}};

  Json init_containers = Json::array();
  init_containers.push_back(ServingSidecar(kCandidateContainer, mv, mv.spec.serving.port, options));
  if (champion != nullptr) {
    init_containers.push_back(ServingSidecar(kChampionContainer, *champion,
                                             ChampionPort(mv, *champion, options), options));
  }

  Json validator = {
      {"name", kValidatorContainer},
      {"image", options.validator_image},
      // Arguments only: the image's entrypoint is the modelgate binary, wherever the image
      // keeps it.
      {"args", Json::array({"validate", "--gate", ToString(gate), "--config", kGateConfigPath})},
      {"terminationMessagePath", "/dev/termination-log"},
      {"terminationMessagePolicy", "File"},
      {"securityContext", ContainerSecurityContext()},
      {"volumeMounts",
       Json::array({{{"name", kConfigVolume}, {"mountPath", "/etc/modelgate"}, {"readOnly", true}},
                    {{"name", kTmpVolume}, {"mountPath", "/tmp"}}})},
  };
  if (options.validator_resources) {
    validator["resources"] = ResourcesJson(*options.validator_resources);
  }
  if (!options.image_pull_policy.empty()) validator["imagePullPolicy"] = options.image_pull_policy;

  const int timeout = GateSettings(effective.gates, gate).timeout_seconds;
  Json pod_spec = {
      {"restartPolicy", "Never"},
      {"automountServiceAccountToken", false},
      {"enableServiceLinks", false},
      {"securityContext",
       {{"runAsNonRoot", true},
        {"runAsUser", options.run_as_user},
        {"runAsGroup", options.run_as_user},
        {"fsGroup", options.run_as_user},
        {"seccompProfile", {{"type", "RuntimeDefault"}}}}},
      {"initContainers", init_containers},
      {"containers", Json::array({validator})},
      {"volumes", Json::array({{{"name", kConfigVolume},
                                {"configMap", {{"name", name}, {"defaultMode", 0444}}}},
                               {{"name", kTmpVolume}, {"emptyDir", Json::object()}}})},
  };

  out.job = {{"apiVersion", "batch/v1"},
             {"kind", "Job"},
             {"metadata", metadata},
             {"spec",
              {{"backoffLimit", options.backoff_limit},
               {"activeDeadlineSeconds",
                static_cast<int64_t>(timeout) + options.startup_allowance_seconds},
               {"ttlSecondsAfterFinished", options.ttl_seconds_after_finished},
               {"template", {{"metadata", {{"labels", labels}}}, {"spec", pod_spec}}}}}};
  return out;
}

}  // namespace modelgate::op
