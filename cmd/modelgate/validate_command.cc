// `modelgate validate`: runs the CI gates of a ModelVersion.
//
//   modelgate validate --gate G --config FILE [--termination-log PATH]
//       Inside a validation Job (docs/validation-job.md): one gate, the compact result to the
//       termination log, the full report to stdout; exit 0 with a verdict, 2 without one.
//   modelgate validate -f modelversion.yaml [--gate G]... [--endpoint URL]
//       [--champion-endpoint URL] [--output text|json] [--report FILE.json|FILE.html]
//       [--report-format json|html]
//       On a laptop or in CI: every enabled gate in order; exit 0 all passed, 1 a gate failed,
//       2 a gate could not run. The report is JSON, or an HTML page when the file ends in
//       .html / .htm or --report-format html says so.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "api/model_version.h"
#include "api/timestamp.h"
#include "api/yaml.h"
#include "cmd/modelgate/command.h"
#include "gates/gate_pipeline.h"
#include "gates/gate_pipeline_runner.h"
#include "gates/gate_run.h"
#include "gates/readable_uri.h"
#include "gates/report_html.h"
#include "gates/validation_report.h"

namespace modelgate::cmd {
namespace {

constexpr char kUsage[] =
    "Run the CI gates of a ModelVersion.\n\n"
    "Usage:\n"
    "  modelgate validate -f modelversion.yaml [--gate G]... [--endpoint URL]\n"
    "                     [--champion-endpoint URL] [--output text|json]\n"
    "                     [--report FILE.json|FILE.html] [--report-format json|html]\n"
    "  modelgate validate --gate G --config FILE [--termination-log PATH]\n\n"
    "Gates: data, quality, robustness, stress (run in that order).\n"
    "Exit codes: 0 every gate passed, 1 a gate failed, 2 a gate could not run.\n"
    "--report writes the full report: JSON, or a self-contained HTML page with charts when\n"
    "the file ends in .html or .htm (or with --report-format html).\n";

constexpr std::size_t kMaxManifestBytes = 8 << 20;

struct Flags {
  std::optional<std::string> file;
  std::optional<std::string> config;
  std::vector<GateName> gates;
  std::optional<std::string> endpoint;
  std::optional<std::string> champion_endpoint;
  std::string output = "text";
  std::optional<std::string> report;
  std::optional<std::string> report_format;  // "json" or "html"; absent: by the extension
  std::string termination_log = "/dev/termination-log";
};

// Parses the flags; on a usage error prints it and returns nullopt.
std::optional<Flags> ParseFlags(const std::vector<std::string>& args, bool* help) {
  Flags flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> value;
    if (const auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    if (flag == "-h" || flag == "--help") {
      *help = true;
      return flags;
    }
    auto take = [&]() -> std::optional<std::string> {
      if (value) return value;
      if (i + 1 < args.size()) return args[++i];
      return std::nullopt;
    };
    static const char* const kWithValue[] = {
        "-f",         "--filename",          "--config",       "--gate",
        "--endpoint", "--champion-endpoint", "--output",       "-o",
        "--report",   "--termination-log",   "--report-format"};
    bool known = false;
    for (const char* name : kWithValue) known = known || flag == name;
    if (!known) {
      std::cerr << "modelgate validate: unknown flag \"" << flag << "\"\n";
      return std::nullopt;
    }
    std::optional<std::string> v = take();
    if (!v) {
      std::cerr << "modelgate validate: " << flag << " needs a value\n";
      return std::nullopt;
    }
    if (flag == "-f" || flag == "--filename") {
      flags.file = *v;
    } else if (flag == "--config") {
      flags.config = *v;
    } else if (flag == "--gate") {
      Result<GateName> gate = GateNameFromString(*v);
      if (!gate.ok()) {
        std::cerr << "modelgate validate: --gate: " << gate.status().message() << "\n";
        return std::nullopt;
      }
      flags.gates.push_back(*gate);
    } else if (flag == "--endpoint") {
      flags.endpoint = *v;
    } else if (flag == "--champion-endpoint") {
      flags.champion_endpoint = *v;
    } else if (flag == "--output" || flag == "-o") {
      if (*v != "text" && *v != "json") {
        std::cerr << "modelgate validate: --output must be text or json, not \"" << *v << "\"\n";
        return std::nullopt;
      }
      flags.output = *v;
    } else if (flag == "--report") {
      flags.report = *v;
    } else if (flag == "--report-format") {
      if (*v != "json" && *v != "html") {
        std::cerr << "modelgate validate: --report-format must be json or html, not \"" << *v
                  << "\"\n";
        return std::nullopt;
      }
      flags.report_format = *v;
    } else {
      flags.termination_log = *v;
    }
  }
  return flags;
}

bool WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.flush();
  return static_cast<bool>(out);
}

// ---- in-Job mode ----

int RunInJob(const Flags& flags) {
  const GateName requested = flags.gates.front();
  gates::GateResult result;
  result.gate = ToString(requested);
  auto finish = [&](gates::GateResult final_result) {
    const std::string compact = gates::CompactResultJson(final_result);
    std::cout << gates::FullResultJson(final_result).dump(2) << "\n";
    if (!WriteFile(flags.termination_log, compact)) {
      std::cerr << "modelgate validate: cannot write the termination log " << flags.termination_log
                << "\n";
      return kExitCannotRun;
    }
    return final_result.verdict == gates::GateVerdict::kError ? kExitCannotRun : kExitOk;
  };
  auto run = gates::ReadGateRunFile(*flags.config);
  if (!run.ok()) {
    result.verdict = gates::GateVerdict::kError;
    result.message = run.status().message();
    std::cerr << "modelgate validate: " << result.message << "\n";
    return finish(result);
  }
  if (run->gate != requested) {
    result.verdict = gates::GateVerdict::kError;
    result.message = *flags.config + ": gate: is " + ToString(run->gate) + ", but --gate is " +
                     ToString(requested);
    return finish(result);
  }
  gates::GateEnvironment env;
  env.model_version = run->model_version;
  env.champion = run->champion;
  env.candidate_endpoint = run->candidate_endpoint;
  env.champion_endpoint = run->champion_endpoint;
  gates::ModelVersionGateRunner runner(std::move(env));
  // The artifact is verified in the Job of the first enabled gate, before that gate runs.
  const GatesSpec& gates = run->model_version.spec.gates;
  std::optional<GateName> first;
  for (GateName gate : kAllGates) {
    if (!first && GateSettings(gates, gate).enabled) first = gate;
  }
  if (first == requested && run->model_version.spec.artifact.digest.has_value()) {
    gates::GateResult artifact = runner.CheckArtifact();
    if (artifact.verdict != gates::GateVerdict::kPassed) {
      artifact.gate = result.gate;
      artifact.message = "artifact check: " + artifact.message;
      return finish(artifact);
    }
  }
  return finish(runner.RunGate(requested));
}

// ---- laptop / CI mode ----

Result<ModelVersion> ReadModelVersion(const std::string& path) {
  std::string text;
  if (path == "-") {
    std::ostringstream all;
    all << std::cin.rdbuf();
    text = all.str();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::NotFound(path + ": cannot open");
    text.assign(kMaxManifestBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
  }
  auto json = ParseYaml(text, path);
  if (!json.ok()) return json.status();
  DecodeOptions options;
  options.reject_unknown_fields = true;
  auto mv = ModelVersionFromJson(*json, options);
  if (!mv.ok()) return Status::InvalidArgument(path + ": " + mv.status().message());
  return mv;
}

std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4g", value);
  return buffer;
}

// The few numbers that say the most about a gate's result.
std::string KeyNumbers(const gates::GateOutcome& outcome) {
  static const std::map<std::string, std::vector<std::string>> kKeys = {
      {"data", {"driftShare", "driftedFeatures", "checkedFeatures"}},
      {"quality",
       {"auc", "accuracy", "f1", "logloss", "rmse", "r2", "baselineAuc", "championAuc",
        "trainHoldoutGap"}},
      {"robustness", {"casesFailed", "casesTotal"}},
      {"stress", {"p50Ms", "p99Ms", "errorRate", "requestsPerSecond", "championP99Ms"}}};
  auto keys = kKeys.find(outcome.name);
  if (keys == kKeys.end()) return "";
  std::string out;
  for (const std::string& key : keys->second) {
    auto it = outcome.result.metrics.find(key);
    if (it == outcome.result.metrics.end()) continue;
    if (!out.empty()) out += " ";
    out += key + "=" + FormatNumber(it->second);
  }
  return out;
}

nlohmann::json ReportJson(const ModelVersion& mv, const gates::PipelineReport& report) {
  const int code = report.ExitCode();
  nlohmann::json out = {{"modelVersion", mv.metadata.name},
                        {"model", mv.spec.model},
                        {"version", mv.spec.version},
                        {"result", code == 0   ? "Passed"
                                   : code == 1 ? "Failed"
                                               : "Error"},
                        {"gates", nlohmann::json::array()}};
  for (const gates::GateOutcome& outcome : report.outcomes) {
    nlohmann::json gate = gates::FullResultJson(outcome.result);
    // A skipped gate never ran, so it has no verdict of its own; its message says why.
    if (outcome.phase == GatePhase::kSkipped) gate["verdict"] = ToString(GatePhase::kSkipped);
    gate["gate"] = outcome.name;
    gate["phase"] = ToString(outcome.phase);
    gate["seconds"] = outcome.seconds;
    out["gates"].push_back(std::move(gate));
  }
  return out;
}

void PrintSummary(const ModelVersion& mv, const gates::PipelineReport& report) {
  std::cout << "ModelVersion " << mv.metadata.name << " (" << mv.spec.model << " "
            << mv.spec.version << ")\n";
  for (const gates::GateOutcome& outcome : report.outcomes) {
    char line[96];
    std::snprintf(line, sizeof(line), "  %-11s %-8s %7.1fs  ", outcome.name.c_str(),
                  ToString(outcome.phase), outcome.seconds);
    std::cout << line << KeyNumbers(outcome) << "\n";
    if (!outcome.result.message.empty())
      std::cout << "              " << outcome.result.message << "\n";
  }
  const int code = report.ExitCode();
  std::cout << (code == 0   ? "All gates passed.\n"
                : code == 1 ? "A gate failed.\n"
                            : "A gate could not run.\n");
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  if (text.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    const char c = text[text.size() - suffix.size() + i];
    if (std::tolower(static_cast<unsigned char>(c)) != suffix[i]) return false;
  }
  return true;
}

// The content of --report: the JSON, or the HTML page when asked for by format or extension.
std::string ReportText(const Flags& flags, const ModelVersion& mv,
                       const gates::PipelineReport& report, const nlohmann::json& json) {
  const std::string format = flags.report_format.value_or(
      EndsWith(*flags.report, ".html") || EndsWith(*flags.report, ".htm") ? "html" : "json");
  if (format == "json") return json.dump(2) + "\n";
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  return gates::RenderReportHtml(gates::ReportFromPipeline(
      mv, report, "modelgate validate -f " + *flags.file, FormatTimestamp(now)));
}

// A URI that the gates to run cannot read (gs://, pvc://) is a problem of the manifest, so it
// is reported before any gate spends time on the others.
Status ReadableInputs(const ModelVersionSpec& spec, const std::vector<GateName>& selected) {
  if (spec.artifact.digest.has_value()) {
    Status artifact = gates::CheckReadableUri(spec.artifact.uri);
    if (!artifact.ok()) return artifact.WithContext("spec.artifact.uri");
  }
  for (GateName gate : kAllGates) {
    const bool chosen = selected.empty()
                            ? GateSettings(spec.gates, gate).enabled
                            : std::find(selected.begin(), selected.end(), gate) != selected.end();
    if (!chosen) continue;
    Status inputs = gates::CheckGateInputUris(spec, gate);
    if (!inputs.ok()) return inputs;
  }
  return Status::Ok();
}

int RunOnModelVersion(const Flags& flags) {
  auto mv = ReadModelVersion(*flags.file);
  if (!mv.ok()) {
    std::cerr << "modelgate validate: " << mv.status().message() << "\n";
    return kExitCannotRun;
  }
  Status readable = ReadableInputs(mv->spec, flags.gates);
  if (!readable.ok()) {
    std::cerr << "modelgate validate: " << *flags.file << ": " << readable.message() << "\n";
    return kExitCannotRun;
  }
  gates::GateEnvironment env;
  env.model_version = *mv;
  env.candidate_endpoint =
      flags.endpoint.value_or("http://127.0.0.1:" + std::to_string(mv->spec.serving.port));
  env.champion_endpoint = flags.champion_endpoint;
  gates::ModelVersionGateRunner runner(std::move(env));

  gates::PipelineCallbacks callbacks;
  if (isatty(STDERR_FILENO)) {
    callbacks.on_start = [](const std::string& step) {
      std::cerr << "running " << step << "...\n";
    };
    callbacks.on_finish = [](const gates::GateOutcome& outcome) {
      if (outcome.phase != GatePhase::kSkipped) {
        std::cerr << "  " << outcome.name << ": " << ToString(outcome.phase) << " ("
                  << FormatNumber(outcome.seconds) << "s)\n";
      }
    };
  }
  gates::PipelineReport report =
      gates::RunGatePipeline(mv->spec.gates, flags.gates, runner, callbacks);

  const nlohmann::json json = ReportJson(*mv, report);
  if (flags.report && !WriteFile(*flags.report, ReportText(flags, *mv, report, json))) {
    std::cerr << "modelgate validate: cannot write the report " << *flags.report << "\n";
    return kExitCannotRun;
  }
  if (flags.output == "json") {
    std::cout << json.dump(2) << "\n";
  } else {
    PrintSummary(*mv, report);
  }
  return report.ExitCode();
}

int RunValidate(const std::vector<std::string>& args) {
  bool help = false;
  std::optional<Flags> flags = ParseFlags(args, &help);
  if (help) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (!flags) {
    std::cerr << "\n" << kUsage;
    return kExitCannotRun;
  }
  if (flags->config && flags->file) {
    std::cerr << "modelgate validate: use either --config (in a Job) or -f, not both\n";
    return kExitCannotRun;
  }
  if (flags->config) {
    if (flags->gates.size() != 1) {
      std::cerr << "modelgate validate: --config needs exactly one --gate\n";
      return kExitCannotRun;
    }
    return RunInJob(*flags);
  }
  if (!flags->file) {
    std::cerr << "modelgate validate: -f modelversion.yaml or --config gate.json is required\n\n"
              << kUsage;
    return kExitCannotRun;
  }
  return RunOnModelVersion(*flags);
}

const CommandRegistration kRegistration({"validate", "Run the CI gates of a ModelVersion",
                                         RunValidate});

}  // namespace
}  // namespace modelgate::cmd
