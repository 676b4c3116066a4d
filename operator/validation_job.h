// The Job and ConfigMap that run one CI gate of one ModelVersion, built exactly as
// docs/validation-job.md (the contract with `modelgate validate --gate`) describes. Pure: the
// same inputs always give the same objects, which is what lets a restarted operator find the
// Jobs it created instead of creating twins.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/gate_name.h"
#include "api/model_version.h"
#include "operator/effective_gates.h"

namespace modelgate::op {

using Json = nlohmann::json;

// Setting this annotation on a ModelVersion to a new value forces a fresh validation: the
// value is part of every Job name, so a new token means new Jobs.
inline constexpr char kRevalidateAnnotation[] = "modelgate.io/revalidate";
// The longest revalidate token honoured; longer values are cut before hashing.
inline constexpr size_t kMaxRevalidateTokenBytes = 253;

inline constexpr char kManagedByLabel[] = "app.kubernetes.io/managed-by";
inline constexpr char kManagedByValue[] = "modelgate";
inline constexpr char kModelVersionLabel[] = "modelgate.io/model-version";
inline constexpr char kGateLabel[] = "modelgate.io/gate";
inline constexpr char kGenerationLabel[] = "modelgate.io/generation";

inline constexpr char kValidatorContainer[] = "validator";
inline constexpr char kCandidateContainer[] = "candidate";
inline constexpr char kChampionContainer[] = "champion";
// The environment of every serving container: the artifact to load, the model name the
// validator will ask for, and the port to listen on (the champion's differs from the
// candidate's when both would share one).
inline constexpr char kArtifactUriEnv[] = "MODELGATE_ARTIFACT_URI";
inline constexpr char kArtifactDigestEnv[] = "MODELGATE_ARTIFACT_DIGEST";
inline constexpr char kModelNameEnv[] = "MODELGATE_MODEL_NAME";
inline constexpr char kServingPortEnv[] = "MODELGATE_PORT";
inline constexpr char kGateConfigKey[] = "gate.json";
inline constexpr char kGateConfigPath[] = "/etc/modelgate/gate.json";

struct ValidationJobOptions {
  std::string validator_image;    // the modelgate image; REQUIRED non-empty
  std::string image_pull_policy;  // "" leaves the cluster's default
  // Added to the gate's timeoutSeconds for activeDeadlineSeconds: pulling images and
  // starting the serving sidecars happen inside the deadline too.
  int startup_allowance_seconds = 300;
  int ttl_seconds_after_finished = 3600;
  int backoff_limit = 1;
  // The champion's port when its own serving port is the candidate's (one pod, one
  // network namespace).
  int champion_port = 9080;
  int64_t run_as_user = 65532;
  std::optional<ResourceRequirements> validator_resources;
};

// The revalidate token of `mv` (its annotation, cut to kMaxRevalidateTokenBytes), or "".
std::string RevalidateToken(const ObjectMeta& mv);

// "<name>-<gate>-g<generation>-<hash8>", at most 63 characters (the name part is shortened,
// never the suffix), where hash8 is the first 8 hex digits of
// sha256("namespace/name/uid/generation/gate/token").
std::string ValidationJobName(const ObjectMeta& mv, GateName gate, const std::string& token);

// The labels of the Job, its pods and its ConfigMap.
std::map<std::string, std::string> ValidationJobLabels(const ObjectMeta& mv, GateName gate);

// The ownerReference that makes `mv` the controller of an object.
Json ControllerReference(const ObjectMeta& mv);

// Where the validator reaches the serving containers: "http://127.0.0.1:<port>".
std::string CandidateEndpoint(const ModelVersion& mv);
std::string ChampionEndpoint(const ModelVersion& mv, const ModelVersion& champion,
                             const ValidationJobOptions& options);

struct ValidationJobObjects {
  Json config_map;  // v1 ConfigMap holding gate.json
  Json job;         // batch/v1 Job
};

// Builds the ConfigMap and the Job that run `gate` for `mv` with `effective` gates (whose
// settings replace spec.gates in gate.json). `champion` is the ModelVersion the gate compares
// against, or nullptr when it compares against none.
// REQUIRES: mv.metadata has name, namespace_ and uid; options.validator_image non-empty.
ValidationJobObjects BuildValidationJob(const ModelVersion& mv, GateName gate,
                                        const EffectiveGates& effective,
                                        const ModelVersion* champion, const std::string& token,
                                        const ValidationJobOptions& options);

}  // namespace modelgate::op
