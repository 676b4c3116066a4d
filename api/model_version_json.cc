// JSON decoding (with the CRD's validation and defaults) and encoding of ModelVersion.
#include <set>

#include "api/api_patterns.h"
#include "api/field_reader.h"
#include "api/gates_spec_json.h"
#include "api/model_version.h"

namespace modelgate {
namespace {

using api_internal::FieldReader;
using api_internal::IndexPath;
using api_internal::Shown;
using nlohmann::json;

const char kUriRule[] =
    "must be a URI starting with s3://, gs://, https://, http://, file:// or "
    "pvc://<claim>/<path>";

void CheckUri(FieldReader& r, std::string_view key, const std::string& uri) {
  if (r.ok() && !api_internal::IsFetchableUri(uri)) {
    r.Fail(key, std::string(kUriRule) + ", got \"" + uri.substr(0, 64) + "\"");
  }
}

// Calls `each(reader, index)` for every element of the list at `key`.
template <typename Each>
void ForEachObject(FieldReader& r, std::string_view key, Each each) {
  const json* v = r.Get(key);
  if (v == nullptr || !r.ok()) return;
  if (!v->is_array()) return r.Fail(key, "must be a list, got " + Shown(*v));
  for (size_t i = 0; i < v->size() && r.ok(); ++i) {
    FieldReader item((*v)[i], IndexPath(r.PathOf(key), i), r.options());
    each(item);
    r.Absorb(item.Finish());
  }
}

template <typename T, typename Decode>
void ReadOptionalObject(FieldReader& parent, std::string_view key, std::optional<T>* out,
                        Decode decode) {
  const json* v = parent.Get(key);
  if (v == nullptr || !parent.ok()) return;
  FieldReader r(*v, parent.PathOf(key), parent.options());
  T value{};
  decode(r, &value);
  parent.Absorb(r.Finish());
  if (parent.ok()) *out = std::move(value);
}

void ReadArtifact(FieldReader& r, Artifact* a) {
  r.RequiredString("uri", &a->uri);
  CheckUri(r, "uri", a->uri);
  r.OptionalString("digest", &a->digest);
  if (r.ok() && a->digest && !api_internal::IsSha256Digest(*a->digest)) {
    r.Fail("digest", "must be sha256: followed by 64 lowercase hex digits, got \"" +
                         a->digest->substr(0, 80) + "\"");
  }
  r.RequiredEnum("format", &a->format, ArtifactFormatFromString);
}

void ReadQuantities(FieldReader& r, std::string_view key, std::map<std::string, std::string>* out) {
  const json* v = r.Get(key);
  if (v == nullptr || !r.ok()) return;
  if (!v->is_object()) return r.Fail(key, "must be a map of quantities, got " + Shown(*v));
  for (const auto& [name, q] : v->items()) {
    if (q.is_string()) {
      (*out)[name] = q.get<std::string>();
    } else if (q.is_number()) {
      (*out)[name] = q.dump();
    } else {
      return r.Fail(key, "quantity \"" + name + "\" must be a string or a number, got " + Shown(q));
    }
  }
}

void ReadResources(FieldReader& r, ResourceRequirements* res) {
  ReadQuantities(r, "requests", &res->requests);
  ReadQuantities(r, "limits", &res->limits);
}

void ReadServing(FieldReader& r, Serving* s) {
  r.RequiredString("image", &s->image);
  r.Int("port", &s->port, 1, 65535);
  r.Enum("protocol", &s->protocol, ServingProtocolFromString);
  r.OptionalString("modelName", &s->model_name);
  r.StringList("args", &s->args);
  ForEachObject(r, "env", [&](FieldReader& e) {
    EnvVar var;
    e.RequiredString("name", &var.name);
    e.String("value", &var.value);
    s->env.push_back(std::move(var));
  });
  ReadOptionalObject(r, "resources", &s->resources, ReadResources);
  r.OptionalString("readinessPath", &s->readiness_path);
  if (r.ok() && s->readiness_path &&
      (s->readiness_path->empty() || (*s->readiness_path)[0] != '/')) {
    r.Fail("readinessPath", "must start with /, got \"" + s->readiness_path->substr(0, 64) + "\"");
  }
}

void ReadDataset(FieldReader& r, Dataset* d) {
  r.RequiredString("uri", &d->uri);
  CheckUri(r, "uri", d->uri);
  r.Enum("format", &d->format, DatasetFormatFromString);
}

void ReadDatasets(FieldReader& r, Datasets* d) {
  ReadOptionalObject(r, "training", &d->training, ReadDataset);
  ReadOptionalObject(r, "holdout", &d->holdout, ReadDataset);
  ReadOptionalObject(r, "reference", &d->reference, ReadDataset);
  ReadOptionalObject(r, "trainingHistory", &d->training_history, ReadDataset);
}

void ReadSchema(FieldReader& r, ModelSchema* s) {
  r.RequiredEnum("task", &s->task, ModelTaskFromString);
  r.OptionalString("target", &s->target);
  std::set<std::string> names;
  ForEachObject(r, "features", [&](FieldReader& f) {
    FeatureSpec feature;
    f.RequiredString("name", &feature.name);
    f.Enum("type", &feature.type, FeatureTypeFromString);
    f.Bool("nullable", &feature.nullable);
    f.StringList("categories", &feature.categories);
    f.OptionalNumber("min", &feature.min);
    f.OptionalNumber("max", &feature.max);
    if (f.ok() && feature.min && feature.max && *feature.min > *feature.max) {
      f.Fail("min", "must not be greater than max");
    }
    if (f.ok() && !names.insert(feature.name).second) {
      f.Fail("name", "Duplicate value: \"" + feature.name + "\"");
    }
    s->features.push_back(std::move(feature));
  });
}

// The CRD's cross-field rules on spec: each enabled gate has the datasets it reads.
void CheckGateDatasets(FieldReader& r, const ModelVersionSpec& spec) {
  if (!r.ok()) return;
  const std::string datasets = r.PathOf("datasets");
  if (spec.gates.data.common.enabled && (!spec.datasets.training || !spec.datasets.reference)) {
    r.Absorb(Status::InvalidArgument(
        datasets + (spec.datasets.training ? ".reference" : ".training") +
        ": Required value: the data gate needs datasets.training and datasets.reference (or set "
        "gates.data.enabled: false)"));
  } else if (spec.gates.quality.common.enabled && !spec.datasets.holdout) {
    r.Absorb(Status::InvalidArgument(
        datasets +
        ".holdout: Required value: the quality gate needs datasets.holdout (or set "
        "gates.quality.enabled: false)"));
  }
}

json DatasetToJson(const Dataset& d) { return {{"uri", d.uri}, {"format", ToString(d.format)}}; }

void ReadGateStatus(FieldReader& r, GateStatus* g) {
  r.RequiredEnum("name", &g->name, GateNameFromString);
  r.Enum("phase", &g->phase, GatePhaseFromString);
  r.String("job", &g->job);
  r.Int("attempts", &g->attempts, 0, 2147483647);
  r.OptionalTimestamp("startedAt", &g->started_at);
  r.OptionalTimestamp("finishedAt", &g->finished_at);
  const json* metrics = r.Get("metrics");
  if (metrics != nullptr && r.ok()) {
    if (!metrics->is_object()) return r.Fail("metrics", "must be a map of numbers");
    for (const auto& [k, v] : metrics->items()) {
      if (!v.is_number()) {
        return r.Fail("metrics", "value of \"" + k + "\" must be a number, got " + Shown(v));
      }
      g->metrics[k] = v.get<double>();
    }
  }
  r.String("message", &g->message);
}

Status CheckTypeMeta(const json& j, const char* kind) {
  if (!j.is_object()) return Status::InvalidArgument("must be an object, got " + Shown(j));
  auto check = [&](const char* key, const char* want) -> Status {
    auto it = j.find(key);
    if (it == j.end()) return Status::Ok();
    if (!it->is_string() || it->get_ref<const std::string&>() != want) {
      return Status::InvalidArgument(std::string(key) + ": must be " + want + ", got " +
                                     Shown(*it));
    }
    return Status::Ok();
  };
  MODELGATE_RETURN_IF_ERROR(check("apiVersion", kApiVersion));
  return check("kind", kind);
}

}  // namespace

Result<ModelVersionSpec> ModelVersionSpecFromJson(const json& j, const std::string& path,
                                                  const DecodeOptions& options) {
  FieldReader r(j, path, options);
  ModelVersionSpec spec;
  r.RequiredString("model", &spec.model);
  if (r.ok() && !api_internal::IsDnsLabel(spec.model)) {
    r.Fail("model",
           "must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 "
           "characters), got \"" +
               spec.model.substr(0, 64) + "\"");
  }
  r.RequiredString("version", &spec.version);
  if (r.ok() && !api_internal::IsVersionString(spec.version)) {
    r.Fail("version",
           "must be 1-63 letters, digits, '.', '_' or '-', starting and ending with "
           "a letter or digit, got \"" +
               spec.version.substr(0, 64) + "\"");
  }
  if (!r.Has("artifact")) r.Fail("artifact", "Required value");
  std::optional<Artifact> artifact;
  ReadOptionalObject(r, "artifact", &artifact, ReadArtifact);
  if (artifact) spec.artifact = std::move(*artifact);
  if (!r.Has("serving")) r.Fail("serving", "Required value");
  std::optional<Serving> serving;
  ReadOptionalObject(r, "serving", &serving, ReadServing);
  if (serving) spec.serving = std::move(*serving);
  std::optional<Datasets> datasets;
  ReadOptionalObject(r, "datasets", &datasets, ReadDatasets);
  if (datasets) spec.datasets = std::move(*datasets);
  ReadOptionalObject(r, "schema", &spec.schema, ReadSchema);
  if (const json* gates = r.Get("gates"); gates != nullptr && r.ok()) {
    auto decoded = api_internal::GatesSpecFromJson(*gates, r.PathOf("gates"), options);
    if (decoded.ok()) {
      spec.gates = std::move(*decoded);
    } else {
      r.Absorb(decoded.status());
    }
  }
  CheckGateDatasets(r, spec);
  MODELGATE_RETURN_IF_ERROR(r.Finish());
  return spec;
}

Result<ModelVersionStatus> ModelVersionStatusFromJson(const json& j, const std::string& path) {
  FieldReader r(j, path, DecodeOptions{});
  ModelVersionStatus status;
  r.OptionalEnum("phase", &status.phase, ModelVersionPhaseFromString);
  r.Int64("observedGeneration", &status.observed_generation, 0, INT64_MAX);
  if (const json* conds = r.Get("conditions"); conds != nullptr && r.ok()) {
    if (!conds->is_array()) {
      r.Fail("conditions", "must be a list, got " + Shown(*conds));
    } else {
      for (size_t i = 0; i < conds->size() && r.ok(); ++i) {
        auto c = ConditionFromJson((*conds)[i], IndexPath(r.PathOf("conditions"), i));
        if (c.ok()) {
          status.conditions.push_back(std::move(*c));
        } else {
          r.Absorb(c.status());
        }
      }
    }
  }
  ForEachObject(r, "gates", [&](FieldReader& g) {
    GateStatus gate;
    ReadGateStatus(g, &gate);
    if (g.ok() && status.FindGate(gate.name) != nullptr) {
      g.Fail("name", std::string("Duplicate value: \"") + ToString(gate.name) + "\"");
    }
    status.gates.push_back(std::move(gate));
  });
  r.String("gatesPassed", &status.gates_passed);
  r.String("validatedDigest", &status.validated_digest);
  r.OptionalTimestamp("validatedAt", &status.validated_at);
  MODELGATE_RETURN_IF_ERROR(r.Finish());
  return status;
}

Result<ModelVersion> ModelVersionFromJson(const json& j, const DecodeOptions& options) {
  MODELGATE_RETURN_IF_ERROR(CheckTypeMeta(j, kModelVersionKind));
  ModelVersion mv;
  if (auto it = j.find("metadata"); it != j.end()) {
    auto meta = ObjectMetaFromJson(*it, "metadata");
    if (!meta.ok()) return meta.status();
    mv.metadata = std::move(*meta);
  }
  auto it = j.find("spec");
  if (it == j.end() || it->is_null()) return Status::InvalidArgument("spec: Required value");
  auto spec = ModelVersionSpecFromJson(*it, "spec", options);
  if (!spec.ok()) return spec.status();
  mv.spec = std::move(*spec);
  if (auto st = j.find("status"); st != j.end()) {
    auto status = ModelVersionStatusFromJson(*st, "status");
    if (!status.ok()) return status.status();
    mv.status = std::move(*status);
  }
  if (options.reject_unknown_fields) {
    for (const auto& [key, value] : j.items()) {
      if (key != "apiVersion" && key != "kind" && key != "metadata" && key != "spec" &&
          key != "status") {
        return Status::InvalidArgument(key + ": unknown field");
      }
    }
  }
  return mv;
}

json ToJson(const ModelVersionSpec& spec) {
  json artifact = {{"uri", spec.artifact.uri}, {"format", ToString(spec.artifact.format)}};
  if (spec.artifact.digest) artifact["digest"] = *spec.artifact.digest;

  const Serving& s = spec.serving;
  json serving = {{"image", s.image}, {"port", s.port}, {"protocol", ToString(s.protocol)}};
  if (s.model_name) serving["modelName"] = *s.model_name;
  if (!s.args.empty()) serving["args"] = s.args;
  if (!s.env.empty()) {
    json env = json::array();
    for (const auto& e : s.env) env.push_back({{"name", e.name}, {"value", e.value}});
    serving["env"] = std::move(env);
  }
  if (s.resources) {
    json res = json::object();
    if (!s.resources->requests.empty()) res["requests"] = s.resources->requests;
    if (!s.resources->limits.empty()) res["limits"] = s.resources->limits;
    serving["resources"] = std::move(res);
  }
  if (s.readiness_path) serving["readinessPath"] = *s.readiness_path;

  json datasets = json::object();
  if (spec.datasets.training) datasets["training"] = DatasetToJson(*spec.datasets.training);
  if (spec.datasets.holdout) datasets["holdout"] = DatasetToJson(*spec.datasets.holdout);
  if (spec.datasets.reference) datasets["reference"] = DatasetToJson(*spec.datasets.reference);
  if (spec.datasets.training_history) {
    datasets["trainingHistory"] = DatasetToJson(*spec.datasets.training_history);
  }

  json out = {{"model", spec.model},
              {"version", spec.version},
              {"artifact", std::move(artifact)},
              {"serving", std::move(serving)},
              {"gates", api_internal::GatesSpecToJson(spec.gates)}};
  if (!datasets.empty()) out["datasets"] = std::move(datasets);
  if (spec.schema) {
    json schema = {{"task", ToString(spec.schema->task)}};
    if (spec.schema->target) schema["target"] = *spec.schema->target;
    json features = json::array();
    for (const auto& f : spec.schema->features) {
      json feature = {{"name", f.name}, {"type", ToString(f.type)}, {"nullable", f.nullable}};
      if (!f.categories.empty()) feature["categories"] = f.categories;
      if (f.min) feature["min"] = *f.min;
      if (f.max) feature["max"] = *f.max;
      features.push_back(std::move(feature));
    }
    if (!features.empty()) schema["features"] = std::move(features);
    out["schema"] = std::move(schema);
  }
  return out;
}

json ToJson(const GateStatus& g) {
  json out = {{"name", ToString(g.name)}, {"phase", ToString(g.phase)}};
  if (!g.job.empty()) out["job"] = g.job;
  if (g.attempts != 0) out["attempts"] = g.attempts;
  if (g.started_at) out["startedAt"] = FormatTimestamp(*g.started_at);
  if (g.finished_at) out["finishedAt"] = FormatTimestamp(*g.finished_at);
  if (!g.metrics.empty()) out["metrics"] = g.metrics;
  if (!g.message.empty()) out["message"] = g.message;
  return out;
}

json ToJson(const ModelVersionStatus& status) {
  json out = json::object();
  if (status.phase) out["phase"] = ToString(*status.phase);
  if (status.observed_generation != 0) out["observedGeneration"] = status.observed_generation;
  if (!status.conditions.empty()) {
    json conds = json::array();
    for (const auto& c : status.conditions) conds.push_back(ToJson(c));
    out["conditions"] = std::move(conds);
  }
  if (!status.gates.empty()) {
    json gates = json::array();
    for (const auto& g : status.gates) gates.push_back(ToJson(g));
    out["gates"] = std::move(gates);
  }
  if (!status.gates_passed.empty()) out["gatesPassed"] = status.gates_passed;
  if (!status.validated_digest.empty()) out["validatedDigest"] = status.validated_digest;
  if (status.validated_at) out["validatedAt"] = FormatTimestamp(*status.validated_at);
  return out;
}

json ToJson(const ModelVersion& mv) {
  json out = {{"apiVersion", kApiVersion},
              {"kind", kModelVersionKind},
              {"metadata", ToJson(mv.metadata)},
              {"spec", ToJson(mv.spec)}};
  json status = ToJson(mv.status);
  if (!status.empty()) out["status"] = std::move(status);
  return out;
}

}  // namespace modelgate
