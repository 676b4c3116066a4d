// `modelgate report mv/NAME`: the HTML report of a ModelVersion in a cluster. The verdict and
// metrics of each gate come from the ModelVersion's status; the per-check findings, drift
// histograms, robustness failures and latency curve from the full report the validator
// printed to its Job pod's log, while that log still exists.
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/model_version.h"
#include "api/timestamp.h"
#include "cmd/modelgate/command.h"
#include "gates/gate_log_report.h"
#include "gates/report_html.h"
#include "kube/client.h"
#include "kube/config.h"
#include "kube/pod_log.h"
#include "kube/rest_client.h"
#include "operator/validation_job.h"

namespace modelgate::cmd {
namespace {

constexpr char kUsage[] = R"(Write the HTML report of a ModelVersion from the cluster.

Usage:
  modelgate report mv/NAME [-n NAMESPACE] [-o FILE.html] [--kubeconfig PATH] [--context NAME]

The verdicts and metrics come from the ModelVersion's status, the details (drift histograms,
robustness failures, latency curve) from its validation Jobs' logs while those exist.
Without -o the page goes to stdout. Exit codes: 0 written, 2 it could not be.
)";

struct Flags {
  std::string name;
  std::string ns;
  std::string output = "-";
  std::string kubeconfig;
  std::string context;
};

// "mv/NAME", "modelversion/NAME", "modelversions/NAME", "modelversions.modelgate.io/NAME" or
// "NAME". Returns the name, or "" when the kind is another one.
std::string ModelVersionName(const std::string& arg) {
  const std::size_t slash = arg.find('/');
  if (slash == std::string::npos) return arg;
  const std::string kind = arg.substr(0, slash);
  for (const char* accepted : {"mv", "modelversion", "modelversions", "modelversion.modelgate.io",
                               "modelversions.modelgate.io"}) {
    if (kind == accepted) return arg.substr(slash + 1);
  }
  return "";
}

// Parses the arguments; returns an error message, or "" when fine.
std::string ParseFlags(const std::vector<std::string>& args, Flags& flags, bool& help) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::optional<std::string> value;
    if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    auto next = [&](std::string& out) {
      if (value) {
        out = *value;
        return true;
      }
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    if (arg == "-h" || arg == "--help") {
      help = true;
      return "";
    } else if (arg == "-n" || arg == "--namespace") {
      if (!next(flags.ns)) return arg + ": missing value";
    } else if (arg == "-o" || arg == "--output") {
      if (!next(flags.output)) return arg + ": missing value";
    } else if (arg == "--kubeconfig") {
      if (!next(flags.kubeconfig)) return arg + ": missing value";
    } else if (arg == "--context") {
      if (!next(flags.context)) return arg + ": missing value";
    } else if (!arg.empty() && arg[0] == '-') {
      return "unknown flag \"" + arg + "\"";
    } else if (!flags.name.empty()) {
      return "one ModelVersion at a time, got \"" + flags.name + "\" and \"" + arg + "\"";
    } else {
      flags.name = ModelVersionName(arg);
      if (flags.name.empty()) return "\"" + arg + "\" is not a ModelVersion (mv/NAME)";
    }
  }
  if (flags.name.empty()) return "which ModelVersion? (mv/NAME)";
  return "";
}

// The value at `pointer` in `object`, or null when it is absent (objects from the API server
// are trusted for shape only this far).
const kube::Json& At(const kube::Json& object, const char* pointer) {
  static const kube::Json kNull;
  const kube::Json::json_pointer path(pointer);
  return object.contains(path) ? object.at(path) : kNull;
}

// The pod of a Job whose log holds the gate's report: one whose validator ended with exit
// code 0 or 2 (both print a report), else the newest.
const kube::Json* ReportingPod(const kube::Json& pods) {
  const kube::Json* newest = nullptr;
  std::string newest_time;
  for (const kube::Json& pod : pods) {
    if (!pod.is_object()) continue;
    const kube::Json& statuses = At(pod, "/status/containerStatuses");
    for (const kube::Json& status : statuses.is_array() ? statuses : kube::Json::array()) {
      if (!status.is_object() || At(status, "/name") != op::kValidatorContainer) continue;
      const kube::Json& exit_code = At(status, "/state/terminated/exitCode");
      if (exit_code.is_number_integer() && (exit_code == 0 || exit_code == 2)) return &pod;
    }
    const kube::Json& created = At(pod, "/metadata/creationTimestamp");
    const std::string time = created.is_string() ? created.get<std::string>() : "";
    if (newest == nullptr || time > newest_time) {
      newest = &pod;
      newest_time = time;
    }
  }
  return newest;
}

// What can be learnt of the log of the Job that ran a gate.
gates::GateLog JobLog(kube::Client& client, const kube::ClientConfig& config, const std::string& ns,
                      const std::string& job) {
  gates::GateLog log;
  kube::ListOptions options;
  options.label_selector = "job-name=" + job;
  Result<kube::Json> pods = client.List(kube::PodsResource(), ns, options);
  if (!pods.ok()) {
    log.missing_reason =
        "the pods of Job " + job + " could not be listed: " + pods.status().message();
    return log;
  }
  const kube::Json& items = At(*pods, "/items");
  const kube::Json* pod = items.is_array() ? ReportingPod(items) : nullptr;
  if (pod == nullptr) {
    log.missing_reason = "the log of Job " + job +
                         " is gone: its pods were deleted (with the Job after "
                         "ttlSecondsAfterFinished, or by hand)";
    return log;
  }
  const std::string name = kube::NameOf(*pod);
  kube::PodLogOptions log_options;
  log_options.container = op::kValidatorContainer;
  log_options.limit_bytes = gates::kMaxGateLogBytes;
  Result<std::string> text = kube::ReadPodLog(config, ns, name, log_options);
  if (text.ok()) {
    log.text = std::move(text).value();
  } else if (text.status().code() == Status::Code::kNotFound) {
    log.missing_reason = "the log of pod " + name + " (Job " + job + ") is gone";
  } else {
    log.missing_reason = "the log of pod " + name + " (Job " + job +
                         ") could not be read: " + text.status().message();
  }
  return log;
}

int RunReport(const std::vector<std::string>& args) {
  Flags flags;
  bool help = false;
  if (std::string error = ParseFlags(args, flags, help); !error.empty()) {
    std::cerr << "modelgate report: " << error << "\n\n" << kUsage;
    return kExitCannotRun;
  }
  if (help) {
    std::cout << kUsage;
    return kExitOk;
  }
  Result<kube::ClientConfig> config = kube::LoadDefaultConfig(flags.kubeconfig, flags.context);
  if (!config.ok()) {
    std::cerr << "modelgate report: " << config.status().message() << "\n";
    return kExitCannotRun;
  }
  if (flags.ns.empty()) flags.ns = config->default_namespace;
  Result<std::unique_ptr<kube::Client>> client = kube::NewRestClient(*config);
  if (!client.ok()) {
    std::cerr << "modelgate report: " << client.status().message() << "\n";
    return kExitCannotRun;
  }
  Result<kube::Json> object = (*client)->Get({kube::ModelVersionsResource(), flags.ns, flags.name});
  if (!object.ok()) {
    std::cerr << "modelgate report: modelversion " << flags.ns << "/" << flags.name << ": "
              << object.status().message() << "\n";
    return kExitCannotRun;
  }
  Result<ModelVersion> mv = ModelVersionFromJson(*object);
  if (!mv.ok()) {
    std::cerr << "modelgate report: modelversion " << flags.ns << "/" << flags.name << ": "
              << mv.status().message() << "\n";
    return kExitCannotRun;
  }
  std::map<GateName, gates::GateLog> logs;
  for (const GateStatus& gate : mv->status.gates) {
    if (!gate.job.empty()) logs[gate.name] = JobLog(**client, *config, flags.ns, gate.job);
  }
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::string page =
      gates::RenderReportHtml(gates::ReportFromStatus(*mv, logs, FormatTimestamp(now)));
  if (flags.output == "-") {
    std::cout << page;
    return std::cout.flush() ? kExitOk : kExitCannotRun;
  }
  std::ofstream out(flags.output, std::ios::binary | std::ios::trunc);
  out << page;
  out.flush();
  if (!out) {
    std::cerr << "modelgate report: cannot write " << flags.output << "\n";
    return kExitCannotRun;
  }
  std::cerr << "wrote " << flags.output << "\n";
  return kExitOk;
}

const CommandRegistration kRegistration({"report",
                                         "Write the HTML report of a ModelVersion from the cluster",
                                         RunReport});

}  // namespace
}  // namespace modelgate::cmd
