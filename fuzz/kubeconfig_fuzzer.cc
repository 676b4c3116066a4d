// Kubeconfig files, as `modelgate` commands and the operator read them outside a cluster.
// Beyond not crashing, a kubeconfig that loads names an http(s) server without a trailing
// slash, a client certificate only together with its key, and a token file by absolute path.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "fuzz/invariant.h"
#include "kube/config.h"

// Relative paths in the input resolve below a directory that does not exist.
constexpr char kFile[] = "/nonexistent/modelgate-fuzz/kubeconfig";

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // A referenced file named /dev/stdin must not wait for a terminal.
  return std::freopen("/dev/null", "r", stdin) == nullptr;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const std::string text(reinterpret_cast<const char*>(bytes), size);
  modelgate::Result<modelgate::kube::ClientConfig> config =
      modelgate::kube::ParseKubeconfig(text, kFile);
  if (!config.ok()) {
    MODELGATE_FUZZ_EXPECT(!config.status().message().empty(), "a refusal says why");
    return 0;
  }
  const std::string& server = config->server;
  MODELGATE_FUZZ_EXPECT(server.rfind("https://", 0) == 0 || server.rfind("http://", 0) == 0,
                        "the server is an http(s) URL");
  MODELGATE_FUZZ_EXPECT(server.back() != '/', "the server has no trailing slash");
  MODELGATE_FUZZ_EXPECT(config->client_cert_pem.empty() == config->client_key_pem.empty(),
                        "a client certificate comes with its key");
  MODELGATE_FUZZ_EXPECT(
      config->bearer_token_file.empty() || config->bearer_token_file.front() == '/',
      "a token file is named by absolute path");
  MODELGATE_FUZZ_EXPECT(!config->default_namespace.empty(), "there is a default namespace");
  return 0;
}
