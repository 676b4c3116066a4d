// `modelgate check -f PATH...`: the admission verdicts, offline. Reads manifests
// (ModelVersions with their status, ModelGatePolicies, Namespaces, workloads) from files and
// folders and decides every workload as the webhook would, for GitOps pull-request checks.
// Exit codes: 0 every workload admitted, 1 a workload would be denied, 2 bad input.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "api/model_gate_policy.h"
#include "api/model_version.h"
#include "api/timestamp.h"
#include "api/yaml.h"
#include "cmd/modelgate/command.h"
#include "policy/admission_decision.h"
#include "policy/in_memory_catalog.h"
#include "policy/model_reference.h"

namespace modelgate::cmd {
namespace {

using nlohmann::json;

constexpr char kUsage[] =
    "Give the admission webhook's verdicts offline, for a folder of manifests.\n\n"
    "Usage:\n"
    "  modelgate check -f PATH [-f PATH]... [--output text|json] [--namespace NS]\n"
    "                  [--user NAME] [--group NAME]... [--now 2026-01-02T15:04:05Z]\n"
    "                  [--operator-service-account NAMESPACE/NAME]\n\n"
    "PATH is a YAML or JSON file, or a folder searched for *.yaml, *.yml and *.json.\n"
    "ModelVersions (with status), ModelGatePolicies and Namespaces are the cluster; every\n"
    "Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, KServe\n"
    "InferenceService and Seldon Model is checked as if created by --user.\n"
    "Exit codes: 0 all admitted, 1 a workload would be denied, 2 bad input.\n";

constexpr size_t kMaxFiles = 10'000;

struct Flags {
  std::vector<std::string> paths;
  std::string output = "text";
  std::string default_ns = "default";
  std::string user = "modelgate-check";
  std::vector<std::string> groups = {"system:authenticated"};
  std::optional<Timestamp> now;
  std::string operator_username = "system:serviceaccount:modelgate-system:modelgate-operator";
};

struct Workload {
  json object;
  std::string group;
  std::string kind;
  std::string ns;
  std::string source;  // "path (document N)"
};

// Parses the flags; returns a usage error message, or nullopt.
std::optional<std::string> ParseFlags(const std::vector<std::string>& args, Flags* flags) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> value;
    if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    if (!value) {
      if (i + 1 >= args.size()) return flag + " needs a value";
      value = args[++i];
    }
    if (flag == "-f" || flag == "--filename") {
      flags->paths.push_back(*value);
    } else if (flag == "-o" || flag == "--output") {
      if (*value != "text" && *value != "json") {
        return "--output must be text or json, not \"" + *value + "\"";
      }
      flags->output = *value;
    } else if (flag == "-n" || flag == "--namespace") {
      flags->default_ns = *value;
    } else if (flag == "--user") {
      flags->user = *value;
    } else if (flag == "--group") {
      flags->groups.push_back(*value);
    } else if (flag == "--now") {
      auto t = ParseTimestamp(*value);
      if (!t.ok()) return "--now: " + t.status().message();
      flags->now = *t;
    } else if (flag == "--operator-service-account") {
      const auto slash = value->find('/');
      flags->operator_username =
          slash == std::string::npos
              ? *value
              : "system:serviceaccount:" + value->substr(0, slash) + ":" + value->substr(slash + 1);
    } else {
      return "unknown flag \"" + flag + "\"";
    }
  }
  if (flags->paths.empty()) return "at least one -f PATH is required";
  return std::nullopt;
}

// The manifest files under `paths`, in a stable order.
Result<std::vector<std::string>> ListFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = std::filesystem::recursive_directory_iterator(p, ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        const std::string ext = it->path().extension().string();
        if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json")) {
          found.push_back(it->path().string());
        }
        if (found.size() > kMaxFiles) {
          return Status::ResourceExhausted(p + ": more than " + std::to_string(kMaxFiles) +
                                           " manifest files");
        }
      }
      if (ec) return Status::InvalidArgument(p + ": " + ec.message());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      return Status::NotFound(p + ": no such file or folder");
    }
  }
  return files;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string GroupOf(const std::string& api_version) {
  const auto slash = api_version.find('/');
  return slash == std::string::npos ? "" : api_version.substr(0, slash);
}

// Sorts one manifest into the catalog or the workloads. Kinds that are neither are skipped.
Status Classify(json doc, const std::string& source, const Flags& flags,
                policy::InMemoryCatalog& catalog, std::vector<Workload>* workloads) {
  if (!doc.is_object()) return Status::InvalidArgument(source + ": not a Kubernetes object");
  const std::string api_version = doc.value("apiVersion", "");
  const std::string kind = doc.value("kind", "");
  if (api_version == "v1" && kind == "List" && doc.contains("items") && doc["items"].is_array()) {
    for (size_t i = 0; i < doc["items"].size(); ++i) {
      MODELGATE_RETURN_IF_ERROR(Classify(std::move(doc["items"][i]),
                                         source + " items[" + std::to_string(i) + "]", flags,
                                         catalog, workloads));
    }
    return Status::Ok();
  }
  if (!doc.contains("metadata") || !doc["metadata"].is_object()) doc["metadata"] = json::object();
  json& meta = doc["metadata"];
  const std::string ns = meta.contains("namespace") && meta["namespace"].is_string()
                             ? meta["namespace"].get<std::string>()
                             : flags.default_ns;
  const std::string group = GroupOf(api_version);
  if (group == "modelgate.io" && kind == "ModelVersion") {
    meta["namespace"] = ns;
    auto mv = ModelVersionFromJson(doc);
    if (!mv.ok()) return mv.status().WithContext(source);
    // A manifest rarely carries metadata.generation; without it staleness cannot be judged
    // offline, so the recorded status is taken as describing this spec.
    if (mv->metadata.generation == 0) mv->metadata.generation = mv->status.observed_generation;
    catalog.UpsertModelVersion(std::move(mv).value());
  } else if (group == "modelgate.io" && kind == "ModelGatePolicy") {
    auto p = ModelGatePolicyFromJson(doc);
    if (!p.ok()) return p.status().WithContext(source);
    catalog.UpsertPolicy(std::move(p).value());
  } else if (api_version == "v1" && kind == "Namespace") {
    policy::NamespaceLabels labels;
    if (meta.contains("labels") && meta["labels"].is_object()) {
      for (const auto& [k, v] : meta["labels"].items()) {
        if (v.is_string()) labels.emplace(k, v.get<std::string>());
      }
    }
    catalog.UpsertNamespace(meta.value("name", ""), std::move(labels));
  } else if (policy::WorkloadKindOf(group, kind).ok()) {
    workloads->push_back(Workload{std::move(doc), group, kind, ns, source});
  }
  return Status::Ok();
}

int RunCheck(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return kExitOk;
    }
  }
  Flags flags;
  if (auto error = ParseFlags(args, &flags)) {
    std::cerr << "modelgate check: " << *error << "\n\n" << kUsage;
    return kExitCannotRun;
  }
  auto files = ListFiles(flags.paths);
  if (!files.ok()) {
    std::cerr << "modelgate check: " << files.status().message() << "\n";
    return kExitCannotRun;
  }
  policy::InMemoryCatalog catalog;
  std::vector<Workload> workloads;
  for (const std::string& file : *files) {
    auto text = ReadFile(file);
    if (!text.ok()) {
      std::cerr << "modelgate check: " << text.status().message() << "\n";
      return kExitCannotRun;
    }
    auto docs = ParseYamlDocuments(*text, file);
    if (!docs.ok()) {
      std::cerr << "modelgate check: " << docs.status().message() << "\n";
      return kExitCannotRun;
    }
    for (size_t i = 0; i < docs->size(); ++i) {
      Status s = Classify(std::move((*docs)[i]), file + " (document " + std::to_string(i + 1) + ")",
                          flags, catalog, &workloads);
      if (!s.ok()) {
        std::cerr << "modelgate check: " << s.message() << "\n";
        return kExitCannotRun;
      }
    }
  }

  const Timestamp now = flags.now.value_or(
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  policy::DecisionOptions options;
  options.operator_username = flags.operator_username;
  int denied = 0, warned = 0, allowed = 0;
  json results = json::array();
  std::ostringstream text;
  for (const Workload& w : workloads) {
    policy::AdmissionAttributes a;
    a.group = w.group;
    a.kind = w.kind;
    a.ns = w.ns;
    a.name = w.object["metadata"].value("name", "");
    a.operation = "CREATE";
    a.username = flags.user;
    a.groups = flags.groups;
    a.object = &w.object;
    const policy::AdmissionDecision d = policy::Decide(a, catalog, now, options);
    const std::string verdict = !d.allowed ? "denied" : !d.warnings.empty() ? "warned" : "allowed";
    (!d.allowed ? denied : !d.warnings.empty() ? warned : allowed)++;
    results.push_back({{"kind", w.kind},
                       {"namespace", w.ns},
                       {"name", a.name},
                       {"source", w.source},
                       {"verdict", verdict},
                       {"policies", d.matched_policies},
                       {"denials", d.denials},
                       {"warnings", d.warnings},
                       {"auditAnnotations", d.audit_annotations}});
    text << (verdict == "denied"   ? "DENY "
             : verdict == "warned" ? "WARN "
                                   : "ALLOW")
         << "  " << policy::DescribeWorkload(a) << "  (" << w.source << ")\n";
    for (const std::string& r : d.denials) text << "       deny: " << r << "\n";
    for (const std::string& r : d.warnings) text << "       warn: " << r << "\n";
    for (const auto& [k, v] : d.audit_annotations)
      text << "       audit " << k << ": " << v << "\n";
  }
  if (flags.output == "json") {
    json out = {{"workloads", results},
                {"summary",
                 {{"workloads", workloads.size()},
                  {"allowed", allowed},
                  {"warned", warned},
                  {"denied", denied},
                  {"modelVersions", catalog.model_version_count()},
                  {"policies", catalog.Policies()->size()}}}};
    std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  } else {
    std::cout << text.str() << workloads.size() << " workloads checked against "
              << catalog.Policies()->size() << " policies and " << catalog.model_version_count()
              << " ModelVersions: " << allowed << " admitted, " << warned
              << " admitted with warnings, " << denied << " denied\n";
  }
  return denied > 0 ? kExitFailed : kExitOk;
}

const CommandRegistration kRegistration(
    {"check", "Give the admission verdicts for a folder of manifests, offline", RunCheck});

}  // namespace
}  // namespace modelgate::cmd
