// ClientConfig: where the API server is and how to authenticate, loaded from a kubeconfig
// file or from the in-cluster service account, as client-go's clientcmd and rest.InClusterConfig
// do.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "api/status.h"

namespace modelgate::kube {

struct ClientConfig {
  std::string server;  // "https://host:port", no trailing slash

  // TLS. An empty ca_pem verifies against the system's roots.
  std::string ca_pem;
  bool insecure_skip_tls_verify = false;  // only when the kubeconfig says so
  std::string tls_server_name;            // overrides the name checked in the certificate

  // Client certificate authentication (PEM, in memory).
  std::string client_cert_pem;
  std::string client_key_pem;

  // Bearer token authentication: a fixed token, or a file re-read when it rotates.
  std::string bearer_token;
  std::string bearer_token_file;

  std::string default_namespace = "default";
  std::string user_agent = "modelgate";

  // Client-side rate limit on requests (watches excluded), as client-go's flowcontrol.
  // client-go defaults to 5 QPS / burst 10, which a controller with a few informers and a
  // status write per reconcile outgrows; 20 / 30 stays well under the API server's
  // default priority-and-fairness share for a workload-controller.
  double qps = 20;
  int burst = 30;

  // Per-request idle timeout for everything but watches; watches get their
  // timeoutSeconds plus a margin (cpprestsdk's timeout is an idle timer).
  std::chrono::seconds request_timeout{30};
};

// Limits on files read while loading configuration.
inline constexpr size_t kMaxKubeconfigBytes = 4u << 20;
inline constexpr size_t kMaxCredentialFileBytes = 1u << 20;
// Values in a kubeconfig, counting every copy an alias makes.
inline constexpr size_t kMaxKubeconfigNodes = 100'000;

// Parses kubeconfig `text` as LoadKubeconfig does the file `file` (named in messages; the
// base of relative paths). Files the kubeconfig references are read. Returns what
// LoadKubeconfig returns; ResourceExhausted "file:line:column: ..." for nesting deeper than 64
// levels or more than kMaxKubeconfigNodes values counting alias copies.
Result<ClientConfig> ParseKubeconfig(const std::string& text, const std::string& file,
                                     const std::string& context = "");

// Loads the context `context` (the current-context when empty) of the kubeconfig at `path`.
// Relative file paths in the kubeconfig are resolved against its directory.
// Returns InvalidArgument naming the file and field ("kubeconfig.yaml: users[admin].user:
// client-certificate: ...") for a bad or incomplete file, NotFound when the file or a
// referenced file is missing, ResourceExhausted when a file exceeds its bound.
Result<ClientConfig> LoadKubeconfig(const std::string& path, const std::string& context = "");

// Where a pod finds its service account; overridable for tests.
struct InClusterEnvironment {
  std::string token_path = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  std::string ca_path = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
  std::string namespace_path = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
  // Reads an environment variable; nullptr when unset.
  std::function<const char*(const char*)> getenv;  // defaults to ::getenv when empty
};

// The in-cluster configuration from KUBERNETES_SERVICE_HOST/PORT and the service account
// files. The token is referenced by path (bearer_token_file) so rotation is picked up.
// Returns NotFound when not running in a cluster (variables unset), otherwise the error of
// the file that could not be read.
Result<ClientConfig> LoadInClusterConfig(const InClusterEnvironment& env = {});

// The configuration a command uses: `kubeconfig_path` when given, else $KUBECONFIG (first
// entry), else in-cluster, else ~/.kube/config. `context` selects a kubeconfig context.
Result<ClientConfig> LoadDefaultConfig(const std::string& kubeconfig_path = "",
                                       const std::string& context = "");

// Reads a whole file of at most `max_bytes`. NotFound, ResourceExhausted or Unavailable
// with the path in the message.
Result<std::string> ReadBoundedFile(const std::string& path, size_t max_bytes);

}  // namespace modelgate::kube
