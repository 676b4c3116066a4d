// `modelgate operator`: the ModelVersion controller, with health probes and
// metrics.
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cmd/modelgate/command.h"
#include "kube/config.h"
#include "kube/event_recorder.h"
#include "kube/process_memory.h"
#include "kube/rest_client.h"
#include "kube/shutdown.h"
#include "kube/stop_signal.h"
#include "operator/controller.h"
#include "operator/controller_metrics.h"
#include "operator/probe_server.h"

namespace modelgate::cmd {
namespace {

constexpr char kUsage[] = R"(Run the ModelVersion controller.

Usage:
  modelgate operator [flags]

Flags:
  --kubeconfig PATH                  kubeconfig file (default: in-cluster, then $KUBECONFIG)
  --namespace NS                     watch one namespace (default: all)
  --validator-image IMAGE            the modelgate image that runs `modelgate validate` (required)
  --max-concurrent-jobs N            validation Jobs running at once, cluster-wide (default 10)
  --champion-port N                  the champion's serving port when it equals the candidate's
                                     (one pod, one network namespace; default 9080)
  --job-startup-allowance SECONDS    added to a gate's timeoutSeconds for its Job's
                                     activeDeadlineSeconds: image pulls and serving start-up
                                     (default 300)
  --workers N                        concurrent reconciles (default 2)
  --kube-api-qps N                   API requests per second, watches excluded (default 20)
  --kube-api-burst N                 API requests allowed in a burst above that (default 30)
  --leader-elect                     reconcile only while holding the Lease
  --leader-election-namespace NS     namespace of the Lease (default: the pod's, else default)
  --lease-name NAME                  name of the Lease (default modelgate-operator)
  --metrics-bind-address ADDR        /metrics listener (default :8080; "0" disables)
  --health-probe-bind-address ADDR   /healthz and /readyz listener (default :8081)
  --log-format text|json             log format (default text)
)";

struct Flags {
  std::string kubeconfig;
  std::string ns;
  std::string validator_image;
  int max_concurrent_jobs = 10;
  int champion_port = 9080;
  int startup_allowance = 300;
  int workers = 2;
  int kube_api_qps = 20;
  int kube_api_burst = 30;
  bool leader_elect = false;
  std::string lease_namespace;
  std::string lease_name = "modelgate-operator";
  std::string metrics_address = ":8080";
  std::string health_address = ":8081";
  std::string log_format = "text";
};

// Parses "--flag value" and "--flag=value". Returns an error message, or ""
// when fine.
std::string ParseFlags(const std::vector<std::string>& args, Flags& flags, bool& help) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string value;
    bool has_value = false;
    if (size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    auto next = [&](std::string& out) -> bool {
      if (has_value) {
        out = value;
        return true;
      }
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    auto next_int = [&](int& out, int min) -> std::string {
      std::string text;
      if (!next(text)) return arg + ": missing value";
      try {
        size_t used = 0;
        out = std::stoi(text, &used);
        if (used != text.size() || out < min) throw std::invalid_argument(text);
      } catch (const std::exception&) {
        return arg + ": expected an integer >= " + std::to_string(min) + ", got \"" + text + "\"";
      }
      return "";
    };
    std::string error;
    if (arg == "-h" || arg == "--help") {
      help = true;
    } else if (arg == "--leader-elect") {
      flags.leader_elect = !has_value || value == "true";
    } else if (arg == "--kubeconfig") {
      if (!next(flags.kubeconfig)) error = arg + ": missing value";
    } else if (arg == "--namespace") {
      if (!next(flags.ns)) error = arg + ": missing value";
    } else if (arg == "--validator-image") {
      if (!next(flags.validator_image)) error = arg + ": missing value";
    } else if (arg == "--max-concurrent-jobs") {
      error = next_int(flags.max_concurrent_jobs, 1);
    } else if (arg == "--champion-port") {
      error = next_int(flags.champion_port, 1);
      if (error.empty() && flags.champion_port > 65535) error = arg + ": at most 65535";
    } else if (arg == "--job-startup-allowance") {
      error = next_int(flags.startup_allowance, 0);
    } else if (arg == "--workers") {
      error = next_int(flags.workers, 1);
    } else if (arg == "--kube-api-qps") {
      error = next_int(flags.kube_api_qps, 1);
    } else if (arg == "--kube-api-burst") {
      error = next_int(flags.kube_api_burst, 1);
    } else if (arg == "--leader-election-namespace") {
      if (!next(flags.lease_namespace)) error = arg + ": missing value";
    } else if (arg == "--lease-name") {
      if (!next(flags.lease_name)) error = arg + ": missing value";
    } else if (arg == "--metrics-bind-address") {
      if (!next(flags.metrics_address)) error = arg + ": missing value";
    } else if (arg == "--health-probe-bind-address") {
      if (!next(flags.health_address)) error = arg + ": missing value";
    } else if (arg == "--log-format") {
      if (!next(flags.log_format)) error = arg + ": missing value";
    } else {
      error = "unknown flag \"" + arg + "\"";
    }
    if (!error.empty()) return error;
  }
  if (help) return "";
  if (flags.validator_image.empty()) return "--validator-image is required";
  if (flags.log_format != "text" && flags.log_format != "json") {
    return "--log-format must be text or json, not \"" + flags.log_format + "\"";
  }
  return "";
}

// %j: the log message escaped for a JSON string, so a message that carries quotes or
// newlines (an API server's error text) still makes one valid JSON line.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string escaped = nlohmann::json(std::string(msg.payload.data(), msg.payload.size()))
                              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    // dump() adds the surrounding quotes; the pattern has its own.
    dest.append(escaped.data() + 1, escaped.data() + escaped.size() - 1);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }
};

void SetUpLogging(const std::string& format) {
  auto logger = spdlog::stderr_logger_mt("modelgate");
  if (format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonEscapedMessage>('j').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","logger":"operator","msg":"%j"})");
    logger->set_formatter(std::move(formatter));
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  }
  spdlog::set_default_logger(logger);
}

// How often memory the allocator holds free goes back to the system.
constexpr std::chrono::seconds kTrimInterval{30};

std::string Identity() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  std::random_device random;
  char suffix[9];
  std::snprintf(suffix, sizeof(suffix), "%08x", random());
  return std::string(host) + "_" + suffix;
}

int RunOperator(const std::vector<std::string>& args) {
  Flags flags;
  bool help = false;
  if (std::string error = ParseFlags(args, flags, help); !error.empty()) {
    std::cerr << "modelgate operator: " << error << "\n";
    return kExitCannotRun;
  }
  if (help) {
    std::cout << kUsage;
    return kExitOk;
  }
  static kube::StopSignal stop;
  if (Status s = kube::StopOnTerminationSignals(&stop); !s.ok()) {
    std::cerr << "modelgate operator: " << s.ToString() << "\n";
    return kExitCannotRun;
  }
  SetUpLogging(flags.log_format);
  kube::SizeProcessForCaches();

  Result<kube::ClientConfig> config = kube::LoadDefaultConfig(flags.kubeconfig);
  if (!config.ok()) {
    spdlog::error("event=config_failed error=\"{}\"", config.status().ToString());
    return kExitCannotRun;
  }
  config->qps = flags.kube_api_qps;
  config->burst = flags.kube_api_burst;
  Result<std::unique_ptr<kube::Client>> client = kube::NewRestClient(*config);
  if (!client.ok()) {
    spdlog::error("event=client_failed error=\"{}\"", client.status().ToString());
    return kExitCannotRun;
  }

  op::ControllerOptions options;
  options.watch_namespace = flags.ns;
  options.workers = flags.workers;
  options.reconciler.max_concurrent_jobs = flags.max_concurrent_jobs;
  options.reconciler.job.validator_image = flags.validator_image;
  options.reconciler.job.champion_port = flags.champion_port;
  options.reconciler.job.startup_allowance_seconds = flags.startup_allowance;
  const std::string identity = Identity();
  if (flags.leader_elect) {
    kube::LeaderElectionConfig election;
    election.lease_namespace =
        !flags.lease_namespace.empty() ? flags.lease_namespace : config->default_namespace;
    election.lease_name = flags.lease_name;
    election.identity = identity;
    if (Status s = kube::ValidateLeaderElectionConfig(election); !s.ok()) {
      spdlog::error("event=bad_flags error=\"{}\"", s.ToString());
      return kExitCannotRun;
    }
    options.leader_election = election;
  }

  kube::EventRecorder recorder(**client, kube::SystemClock(), {"modelgate.io/operator", identity});
  op::RecorderEventSink events(recorder);
  op::ControllerMetrics metrics;
  op::Controller controller(**client, kube::SystemClock(), events, options, metrics);

  std::unique_ptr<op::ProbeServer> metrics_server;
  std::unique_ptr<op::ProbeServer> health_server;
  if (flags.metrics_address != "0") {
    Result<std::unique_ptr<op::ProbeServer>> server =
        op::ProbeServer::Start(flags.metrics_address, [&metrics](const std::string& path) {
          if (path != "/metrics") return op::ProbeResponse{404, "text/plain", "not found\n"};
          return op::ProbeResponse{200, "text/plain; version=0.0.4; charset=utf-8",
                                   metrics.Render()};
        });
    if (!server.ok()) {
      spdlog::error("event=listen_failed error=\"{}\"", server.status().ToString());
      return kExitCannotRun;
    }
    metrics_server = std::move(server).value();
  }
  Result<std::unique_ptr<op::ProbeServer>> server =
      op::ProbeServer::Start(flags.health_address, [&controller](const std::string& path) {
        if (path == "/healthz") return op::ProbeResponse{200, "text/plain", "ok\n"};
        if (path == "/readyz") {
          return controller.Synced() ? op::ProbeResponse{200, "text/plain", "ok\n"}
                                     : op::ProbeResponse{503, "text/plain", "caches syncing\n"};
        }
        return op::ProbeResponse{404, "text/plain", "not found\n"};
      });
  if (!server.ok()) {
    spdlog::error("event=listen_failed error=\"{}\"", server.status().ToString());
    return kExitCannotRun;
  }
  health_server = std::move(server).value();

  spdlog::info("event=starting identity={} namespace={} leader_elect={} health_port={}", identity,
               flags.ns.empty() ? "*" : flags.ns, flags.leader_elect, health_server->port());
  std::thread trimmer([] { kube::ReturnFreedMemoryUntil(stop, kTrimInterval, kTrimInterval); });
  Status status = controller.Run(stop);
  stop.Stop();
  trimmer.join();
  if (!status.ok()) {
    spdlog::error("event=stopped error=\"{}\"", status.ToString());
    return kExitFailed;
  }
  spdlog::info("event=stopped");
  return kExitOk;
}

const CommandRegistration kRegistration({"operator", "Run the ModelVersion controller",
                                         RunOperator});

}  // namespace
}  // namespace modelgate::cmd
