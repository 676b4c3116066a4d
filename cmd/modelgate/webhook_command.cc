// `modelgate webhook`: the validating admission webhook. Serves AdmissionReviews over HTTPS
// from informer caches of ModelVersions, ModelGatePolicies and Namespaces, so a decision
// never calls the API server; reloads its certificate when the files change; stops
// gracefully on SIGTERM.
#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <string>

#include "cmd/modelgate/command.h"
#include "kube/clock.h"
#include "kube/config.h"
#include "kube/process_memory.h"
#include "kube/rest_client.h"
#include "kube/shutdown.h"
#include "kube/stop_signal.h"
#include "policy/in_memory_catalog.h"
#include "webhook/admission_endpoints.h"
#include "webhook/catalog_informers.h"
#include "webhook/https_server.h"
#include "webhook/log_format.h"
#include "webhook/serving_certificate.h"

namespace modelgate::cmd {
namespace {

constexpr char kUsage[] =
    "Run the validating admission webhook.\n\n"
    "Usage:\n"
    "  modelgate webhook --tls-cert-file FILE --tls-key-file FILE [--port 8443]\n"
    "                    [--address 0.0.0.0] [--kubeconfig FILE] [--threads 2]\n"
    "                    [--operator-service-account NAMESPACE/NAME | USERNAME]\n"
    "                    [--list-page-size 25] [--log-format text|json]\n\n"
    "Routes: POST /validate, GET /healthz, /readyz (ready once the caches synced), /metrics.\n"
    "The certificate and key are reloaded when their files change.\n";

struct Flags {
  std::string cert_file;
  std::string key_file;
  std::string address = "0.0.0.0";
  int port = 8443;
  int threads = 2;
  int list_page_size = static_cast<int>(webhook::CatalogInformers::kDefaultListPageSize);
  std::string kubeconfig;
  std::string operator_username = "system:serviceaccount:modelgate-system:modelgate-operator";
  std::string log_format = "text";
};

// "ns/name" becomes the service account's username; anything else is taken as a username.
std::string OperatorUsername(const std::string& value) {
  if (value.find(':') == std::string::npos) {
    if (auto slash = value.find('/'); slash != std::string::npos) {
      return "system:serviceaccount:" + value.substr(0, slash) + ":" + value.substr(slash + 1);
    }
  }
  return value;
}

std::optional<int> ParseInt(const std::string& text, int min, int max) {
  try {
    size_t used = 0;
    int v = std::stoi(text, &used);
    if (used != text.size() || v < min || v > max) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Parses the flags; returns an error message for a usage error.
std::optional<std::string> ParseFlags(const std::vector<std::string>& args, Flags* flags) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> value;
    if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    auto take = [&]() -> std::optional<std::string> {
      if (value) return value;
      if (i + 1 < args.size()) return args[++i];
      return std::nullopt;
    };
    std::optional<std::string> v = take();
    if (!v) return flag + " needs a value";
    if (flag == "--tls-cert-file") {
      flags->cert_file = *v;
    } else if (flag == "--tls-key-file") {
      flags->key_file = *v;
    } else if (flag == "--address") {
      flags->address = *v;
    } else if (flag == "--port") {
      auto p = ParseInt(*v, 0, 65535);
      if (!p) return "--port must be a number from 0 to 65535, not \"" + *v + "\"";
      flags->port = *p;
    } else if (flag == "--threads") {
      auto t = ParseInt(*v, 1, 64);
      if (!t) return "--threads must be a number from 1 to 64, not \"" + *v + "\"";
      flags->threads = *t;
    } else if (flag == "--list-page-size") {
      auto n = ParseInt(*v, 1, 10'000);
      if (!n) return "--list-page-size must be a number from 1 to 10000, not \"" + *v + "\"";
      flags->list_page_size = *n;
    } else if (flag == "--kubeconfig") {
      flags->kubeconfig = *v;
    } else if (flag == "--operator-service-account") {
      flags->operator_username = OperatorUsername(*v);
    } else if (flag == "--log-format") {
      flags->log_format = *v;
    } else {
      return "unknown flag \"" + flag + "\"";
    }
  }
  if (flags->cert_file.empty() || flags->key_file.empty()) {
    return "--tls-cert-file and --tls-key-file are required";
  }
  return std::nullopt;
}

int RunWebhook(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return kExitOk;
    }
  }
  Flags flags;
  if (auto error = ParseFlags(args, &flags)) {
    std::cerr << "modelgate webhook: " << *error << "\n\n" << kUsage;
    return kExitCannotRun;
  }
  if (Status s = webhook::ConfigureLogFormat(flags.log_format); !s.ok()) {
    std::cerr << "modelgate webhook: " << s.message() << "\n";
    return kExitCannotRun;
  }
  static kube::StopSignal stop;  // outlives the signal thread, as StopOnTerminationSignals asks
  if (Status s = kube::StopOnTerminationSignals(&stop); !s.ok()) {
    spdlog::error("msg=\"cannot install signal handling\" error=\"{}\"", s.message());
    return kExitCannotRun;
  }
  auto certificate = webhook::ServingCertificate::Load(flags.cert_file, flags.key_file);
  if (!certificate.ok()) {
    spdlog::error("msg=\"cannot load the serving certificate\" error=\"{}\"",
                  certificate.status().message());
    return kExitCannotRun;
  }
  // The webhook's memory is mostly its caches; this keeps the rest small (three watches and
  // rare lists need few client threads).
  kube::SizeProcessForCaches();
  auto config = kube::LoadDefaultConfig(flags.kubeconfig);
  if (!config.ok()) {
    spdlog::error("msg=\"cannot load Kubernetes client configuration\" error=\"{}\"",
                  config.status().message());
    return kExitCannotRun;
  }
  auto client = kube::NewRestClient(*config);
  if (!client.ok()) {
    spdlog::error("msg=\"cannot create Kubernetes client\" error=\"{}\"",
                  client.status().message());
    return kExitCannotRun;
  }

  policy::InMemoryCatalog catalog;
  webhook::CatalogInformers informers(**client, kube::SystemClock(), catalog, flags.list_page_size);
  informers.Start();
  webhook::AdmissionMetrics metrics;
  policy::DecisionOptions decision_options;
  decision_options.operator_username = flags.operator_username;
  webhook::AdmissionEndpoints endpoints(
      catalog, [&informers] { return informers.HasSynced(); },
      [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); },
      decision_options, metrics);

  webhook::HttpsServerOptions options;
  options.address = flags.address;
  options.port = static_cast<uint16_t>(flags.port);
  options.threads = flags.threads;
  auto server = webhook::HttpsServer::Start(
      options, std::shared_ptr<webhook::ServingCertificate>(std::move(certificate).value()),
      [&endpoints](const webhook::HttpRequest& r) { return endpoints.Handle(r); });
  if (!server.ok()) {
    spdlog::error("msg=\"cannot start the HTTPS server\" error=\"{}\"", server.status().message());
    return kExitCannotRun;
  }
  spdlog::info("msg=\"webhook serving\" address={} port={} operator=\"{}\"", flags.address,
               (*server)->port(), flags.operator_username);
  if (informers.WaitForSync(stop, kube::SystemClock().Now() + std::chrono::minutes(5))) {
    spdlog::info("msg=\"caches synced; ready\" modelVersions={}", catalog.model_version_count());
  } else if (!stop.stopped()) {
    spdlog::warn("msg=\"caches not synced after 5 minutes; /readyz stays 503 until they are\"");
  }
  // Memory that list pages and watch buffers used is freed on other threads, around the sync;
  // glibc keeps freed pages resident until asked. Give them back at the sync, soon after it and
  // then once a minute: a walk of a heap this size takes about a millisecond.
  kube::ReturnFreedMemory();
  kube::ReturnFreedMemoryUntil(stop, std::chrono::seconds(5), std::chrono::seconds(60));
  spdlog::info("msg=\"shutting down\"");
  (*server)->Shutdown(std::chrono::seconds(10));
  informers.Stop();
  return kExitOk;
}

const CommandRegistration kRegistration({"webhook", "Run the validating admission webhook",
                                         RunWebhook});

}  // namespace
}  // namespace modelgate::cmd
