#include "gates/gate_run.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "api/api_group.h"

namespace modelgate::gates {
namespace {

// "line:column" (1-based) of byte `offset` in `text`.
std::string LineColumn(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

bool IsHttpUrl(const std::string& url) {
  return (url.rfind("http://", 0) == 0 && url.size() > 7) ||
         (url.rfind("https://", 0) == 0 && url.size() > 8);
}

Result<std::string> StringField(const nlohmann::json& object, const char* key,
                                const std::string& path, const std::string& source) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return Status::InvalidArgument(source + ": " + path + ": required");
  }
  if (!it->is_string()) {
    return Status::InvalidArgument(source + ": " + path + ": must be a string, got " +
                                   it->type_name());
  }
  return it->get<std::string>();
}

Result<ModelVersion> DecodeModelVersion(const nlohmann::json& json, const std::string& field,
                                        const std::string& source) {
  if (!json.is_object()) {
    return Status::InvalidArgument(source + ": " + field + ": must be an object, got " +
                                   json.type_name());
  }
  Result<ModelVersion> decoded = ModelVersionFromJson(json);
  if (!decoded.ok()) {
    return Status::InvalidArgument(source + ": " + field + "." + decoded.status().message());
  }
  return decoded;
}

}  // namespace

bool GateComparesWithChampion(const ModelVersionSpec& spec, GateName gate) {
  return (gate == GateName::kQuality && spec.gates.quality.champion.has_value()) ||
         (gate == GateName::kStress && spec.gates.stress.compare_to.has_value());
}

Result<GateRun> ParseGateRun(std::string_view text, const std::string& source,
                             const GateRunLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status::ResourceExhausted(source + ": " + std::to_string(text.size()) +
                                     " bytes, more than the limit of " +
                                     std::to_string(limits.max_bytes));
  }
  int deepest = 0;
  nlohmann::json::parser_callback_t depth_guard = [&](int depth, nlohmann::json::parse_event_t,
                                                      nlohmann::json&) {
    deepest = std::max(deepest, depth);
    return depth <= limits.max_depth;
  };
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text.begin(), text.end(), depth_guard);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 2: x"
    auto colon = what.find(": ", what.find("column"));
    return Status::InvalidArgument(
        source + ":" + LineColumn(text, e.byte > 0 ? e.byte - 1 : 0) +
        ": invalid JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2)));
  }
  if (deepest > limits.max_depth) {
    return Status::ResourceExhausted(source + ": nested deeper than " +
                                     std::to_string(limits.max_depth) + " levels");
  }
  if (!json.is_object()) {
    return Status::InvalidArgument(source + ": must be a JSON object, got " + json.type_name());
  }
  Result<std::string> api_version = StringField(json, "apiVersion", "apiVersion", source);
  if (!api_version.ok()) return api_version.status();
  if (*api_version != kApiVersion) {
    return Status::InvalidArgument(source + ": apiVersion: must be " + std::string(kApiVersion) +
                                   ", got \"" + *api_version + "\"");
  }
  Result<std::string> kind = StringField(json, "kind", "kind", source);
  if (!kind.ok()) return kind.status();
  if (*kind != kGateRunKind) {
    return Status::InvalidArgument(source + ": kind: must be GateRun, got \"" + *kind + "\"");
  }
  GateRun run;
  Result<std::string> gate = StringField(json, "gate", "gate", source);
  if (!gate.ok()) return gate.status();
  Result<GateName> gate_name = GateNameFromString(*gate);
  if (!gate_name.ok())
    return Status::InvalidArgument(source + ": gate: " + gate_name.status().message());
  run.gate = *gate_name;

  auto model_version = json.find("modelVersion");
  if (model_version == json.end())
    return Status::InvalidArgument(source + ": modelVersion: required");
  Result<ModelVersion> candidate = DecodeModelVersion(*model_version, "modelVersion", source);
  if (!candidate.ok()) return candidate.status();
  run.model_version = std::move(candidate).value();
  if (auto champion = json.find("champion"); champion != json.end() && !champion->is_null()) {
    Result<ModelVersion> decoded = DecodeModelVersion(*champion, "champion", source);
    if (!decoded.ok()) return decoded.status();
    run.champion = std::move(decoded).value();
  }

  auto endpoints = json.find("endpoints");
  if (endpoints == json.end() || !endpoints->is_object()) {
    return Status::InvalidArgument(source + ": endpoints: required, an object with \"candidate\"");
  }
  Result<std::string> candidate_url =
      StringField(*endpoints, "candidate", "endpoints.candidate", source);
  if (!candidate_url.ok()) return candidate_url.status();
  if (!IsHttpUrl(*candidate_url)) {
    return Status::InvalidArgument(source +
                                   ": endpoints.candidate: must be an http(s) URL, got \"" +
                                   candidate_url->substr(0, 200) + "\"");
  }
  run.candidate_endpoint = *candidate_url;
  if (auto champion = endpoints->find("champion");
      champion != endpoints->end() && !champion->is_null()) {
    Result<std::string> url = StringField(*endpoints, "champion", "endpoints.champion", source);
    if (!url.ok()) return url.status();
    if (!IsHttpUrl(*url)) {
      return Status::InvalidArgument(source +
                                     ": endpoints.champion: must be an http(s) URL, got \"" +
                                     url->substr(0, 200) + "\"");
    }
    run.champion_endpoint = *url;
  }
  if (GateComparesWithChampion(run.model_version.spec, run.gate) && !run.champion_endpoint) {
    return Status::InvalidArgument(source + ": endpoints.champion: required, the " +
                                   std::string(ToString(run.gate)) +
                                   " gate compares against the champion");
  }
  return run;
}

Result<GateRun> ReadGateRunFile(const std::string& path, const GateRunLimits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    std::string message = path + ": " + std::strerror(error);
    return error == EACCES ? Status::PermissionDenied(message) : Status::NotFound(message);
  }
  std::string text(limits.max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) return Status::Unavailable(path + ": read failed");
  return ParseGateRun(text, path, limits);
}

}  // namespace modelgate::gates
