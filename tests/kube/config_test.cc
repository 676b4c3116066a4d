#include "kube/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "kube/base64.h"

namespace modelgate::kube {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("modelgate-config-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    std::filesystem::path p = dir_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << content;
    return p.string();
  }

  std::filesystem::path dir_;
};

const char kTwoContexts[] = R"(apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:6443/
    certificate-authority: pki/ca.crt
- name: remote
  cluster:
    server: https://10.0.0.1:443
    insecure-skip-tls-verify: true
contexts:
- name: dev
  context: {cluster: local, user: admin, namespace: ml}
- name: ops
  context: {cluster: remote, user: robot}
users:
- name: admin
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZ
- name: robot
  user:
    token: abc123
)";

TEST_F(ConfigTest, LoadsCurrentContextWithClientCertificate) {
  Write("pki/ca.crt", "CA PEM");
  Result<ClientConfig> config = LoadKubeconfig(Write("kubeconfig", kTwoContexts));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->server, "https://127.0.0.1:6443");
  EXPECT_EQ(config->ca_pem, "CA PEM");
  EXPECT_EQ(config->client_cert_pem, "CERT");
  EXPECT_EQ(config->client_key_pem, "KEY");
  EXPECT_EQ(config->default_namespace, "ml");
  EXPECT_FALSE(config->insecure_skip_tls_verify);
}

TEST_F(ConfigTest, LoadsNamedContextWithTokenAndInsecureFlag) {
  Write("pki/ca.crt", "CA PEM");
  Result<ClientConfig> config = LoadKubeconfig(Write("kubeconfig", kTwoContexts), "ops");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->server, "https://10.0.0.1:443");
  EXPECT_EQ(config->bearer_token, "abc123");
  EXPECT_TRUE(config->insecure_skip_tls_verify);
  EXPECT_EQ(config->default_namespace, "default");
}

TEST_F(ConfigTest, CertificateAuthorityDataIsDecoded) {
  std::string text = R"(current-context: c
clusters: [{name: k, cluster: {server: "https://h:1", certificate-authority-data: )" +
                     EncodeBase64("PEM DATA") + R"(}}]
contexts: [{name: c, context: {cluster: k, user: u}}]
users: [{name: u, user: {tokenFile: tok}}]
)";
  Result<ClientConfig> config = LoadKubeconfig(Write("kc", text));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->ca_pem, "PEM DATA");
  EXPECT_EQ(config->bearer_token_file, (dir_ / "tok").string());
}

TEST_F(ConfigTest, MissingContextNamesTheContext) {
  Result<ClientConfig> config = LoadKubeconfig(Write("kubeconfig", kTwoContexts), "nope");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(config.status().message().find("no entry named \"nope\""), std::string::npos);
}

TEST_F(ConfigTest, MissingReferencedFileNamesFileAndField) {
  Result<ClientConfig> config = LoadKubeconfig(Write("kubeconfig", kTwoContexts));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Status::Code::kNotFound);
  EXPECT_NE(config.status().message().find("clusters[local].cluster.certificate-authority"),
            std::string::npos);
  EXPECT_NE(config.status().message().find("pki/ca.crt"), std::string::npos);
}

TEST_F(ConfigTest, BadBase64NamesTheField) {
  std::string text = R"(current-context: c
clusters: [{name: k, cluster: {server: "https://h:1"}}]
contexts: [{name: c, context: {cluster: k, user: u}}]
users: [{name: u, user: {client-certificate-data: "!!!", client-key-data: S0VZ}}]
)";
  Result<ClientConfig> config = LoadKubeconfig(Write("kc", text));
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("users[u].user.client-certificate-data"),
            std::string::npos);
}

TEST_F(ConfigTest, CertificateWithoutKeyIsRejected) {
  std::string text = R"(current-context: c
clusters: [{name: k, cluster: {server: "https://h:1"}}]
contexts: [{name: c, context: {cluster: k, user: u}}]
users: [{name: u, user: {client-certificate-data: Q0VSVA==}}]
)";
  Result<ClientConfig> config = LoadKubeconfig(Write("kc", text));
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("client-key"), std::string::npos);
}

TEST_F(ConfigTest, YamlSyntaxErrorReportsLineAndColumn) {
  Result<ClientConfig> config = LoadKubeconfig(Write("kc", "a: b\nc: [d\n"));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(config.status().message().find("kc:"), std::string::npos);
}

TEST_F(ConfigTest, ServerMustBeAnHttpUrl) {
  std::string text = R"(current-context: c
clusters: [{name: k, cluster: {server: "ftp://h"}}]
contexts: [{name: c, context: {cluster: k}}]
)";
  Result<ClientConfig> config = LoadKubeconfig(Write("kc", text));
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("clusters[k].cluster.server"), std::string::npos);
}

TEST_F(ConfigTest, OversizedKubeconfigIsRejected) {
  Result<ClientConfig> config =
      LoadKubeconfig(Write("kc", std::string(kMaxKubeconfigBytes + 1, '#')));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Status::Code::kResourceExhausted);
}

TEST_F(ConfigTest, AliasBombIsRefusedWithPosition) {
  // Nine levels of ten aliases each: a billion values if expanded.
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 9; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
    for (int j = 1; j < 10; ++j) text += ", " + prev;
    text += "]\n";
  }
  Result<ClientConfig> config = ParseKubeconfig(text, "bomb.kubeconfig");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Status::Code::kResourceExhausted);
  EXPECT_NE(config.status().message().find("bomb.kubeconfig:5:"), std::string::npos)
      << config.status().message();
  EXPECT_NE(config.status().message().find("alias expansion"), std::string::npos);
}

TEST_F(ConfigTest, DeepNestingIsRefusedWithPosition) {
  const std::string text = "current-context: " + std::string(100, '[') + std::string(100, ']');
  Result<ClientConfig> config = ParseKubeconfig(text, "deep.kubeconfig");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Status::Code::kResourceExhausted);
  EXPECT_NE(config.status().message().find("deep.kubeconfig:1:"), std::string::npos);
  EXPECT_NE(config.status().message().find("nesting deeper than 64"), std::string::npos)
      << config.status().message();
}

TEST_F(ConfigTest, ParsesTextWithRelativePathsAgainstTheFilesDirectory) {
  Write("certs/ca.crt", "CA PEM");
  const std::string text = R"(current-context: c
clusters: [{name: k, cluster: {server: "https://h:6443", certificate-authority: certs/ca.crt}}]
contexts: [{name: c, context: {cluster: k}}]
)";
  Result<ClientConfig> config = ParseKubeconfig(text, (dir_ / "kubeconfig").string());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->ca_pem, "CA PEM");
}

TEST_F(ConfigTest, MissingKubeconfigIsNotFound) {
  EXPECT_EQ(LoadKubeconfig((dir_ / "absent").string()).status().code(), Status::Code::kNotFound);
}

TEST_F(ConfigTest, InClusterConfigReadsServiceAccount) {
  InClusterEnvironment env;
  env.token_path = Write("sa/token", "tok\n");
  env.ca_path = Write("sa/ca.crt", "CA");
  env.namespace_path = Write("sa/namespace", "modelgate-system\n");
  std::map<std::string, std::string> vars = {{"KUBERNETES_SERVICE_HOST", "10.96.0.1"},
                                             {"KUBERNETES_SERVICE_PORT", "443"}};
  env.getenv = [&](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
  Result<ClientConfig> config = LoadInClusterConfig(env);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->server, "https://10.96.0.1:443");
  EXPECT_EQ(config->bearer_token_file, env.token_path);
  EXPECT_EQ(config->ca_pem, "CA");
  EXPECT_EQ(config->default_namespace, "modelgate-system");
}

TEST_F(ConfigTest, InClusterWithIpv6HostBracketsIt) {
  InClusterEnvironment env;
  env.token_path = Write("sa/token", "tok");
  env.ca_path = Write("sa/ca.crt", "CA");
  env.namespace_path = (dir_ / "none").string();
  env.getenv = [](const char* name) -> const char* {
    return std::string(name) == "KUBERNETES_SERVICE_HOST" ? "fd00::1" : "443";
  };
  Result<ClientConfig> config = LoadInClusterConfig(env);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->server, "https://[fd00::1]:443");
}

TEST_F(ConfigTest, OutsideAClusterInClusterIsNotFound) {
  InClusterEnvironment env;
  env.getenv = [](const char*) -> const char* { return nullptr; };
  EXPECT_EQ(LoadInClusterConfig(env).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace modelgate::kube
