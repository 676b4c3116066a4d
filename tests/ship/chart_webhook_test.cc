// The rendered ValidatingWebhookConfiguration: fails closed, quick, side-effect free, never
// sees kube-system or modelgate's own namespace, covers every kind the webhook guards and
// the status writes it polices, and trusts a certificate the webhook actually serves.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <utility>

#include "api/yaml.h"
#include "kube/base64.h"
#include "tests/ship/rendered_chart.h"
#include "tests/support/subprocess.h"

namespace modelgate::ship {
namespace {

using Json = nlohmann::json;
using ::modelgate::testing::RunShell;

constexpr char kOperatorUsername[] = "system:serviceaccount:modelgate-system:modelgate-operator";

Json Configuration(const std::vector<Json>& manifests) {
  return Named(manifests, "ValidatingWebhookConfiguration", "modelgate");
}

// "group/resource OPERATION" for every rule of every webhook.
std::set<std::string> Covered(const Json& configuration) {
  std::set<std::string> out;
  for (const Json& webhook : configuration["webhooks"]) {
    for (const Json& rule : webhook["rules"]) {
      for (const Json& group : rule["apiGroups"]) {
        for (const Json& resource : rule["resources"]) {
          for (const Json& op : rule["operations"]) {
            out.insert(group.get<std::string>() + "/" + resource.get<std::string>() + " " +
                       op.get<std::string>());
          }
        }
      }
    }
  }
  return out;
}

TEST(ChartWebhookTest, EveryWebhookFailsClosedQuicklyWithoutSideEffects) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json configuration = Configuration(*manifests);
  ASSERT_FALSE(configuration.is_null());
  ASSERT_EQ(configuration["webhooks"].size(), 3u);
  for (const Json& webhook : configuration["webhooks"]) {
    SCOPED_TRACE(webhook.value("name", ""));
    EXPECT_EQ(webhook["sideEffects"], "None");
    EXPECT_EQ(webhook["failurePolicy"], "Fail");
    EXPECT_GE(webhook["timeoutSeconds"].get<int>(), 1);
    EXPECT_LE(webhook["timeoutSeconds"].get<int>(), 10);
    EXPECT_EQ(webhook["admissionReviewVersions"], Json::array({"v1"}));
    EXPECT_FALSE(webhook.value("matchConditions", Json::array()).empty());
  }
}

// The webhooks that guard workloads, and the one that polices status writes.
std::vector<Json> WorkloadWebhooks(const Json& configuration) {
  std::vector<Json> out;
  for (const Json& webhook : configuration["webhooks"]) {
    if (webhook["name"] != "modelversion-status.modelgate.io") out.push_back(webhook);
  }
  return out;
}

Json StatusWebhook(const Json& configuration) {
  for (const Json& webhook : configuration["webhooks"]) {
    if (webhook["name"] == "modelversion-status.modelgate.io") return webhook;
  }
  return nullptr;
}

TEST(ChartWebhookTest, WorkloadsOfKubeSystemAndTheReleaseNamespaceAreNeverSent) {
  auto manifests = RenderChart("--set webhook.excludedNamespaces={monitoring}");
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const std::vector<Json> webhooks = WorkloadWebhooks(Configuration(*manifests));
  ASSERT_EQ(webhooks.size(), 2u);
  for (const Json& webhook : webhooks) {
    SCOPED_TRACE(webhook.value("name", ""));
    const Json expressions = webhook["namespaceSelector"]["matchExpressions"];
    ASSERT_EQ(expressions.size(), 1u);
    EXPECT_EQ(expressions[0]["key"], "kubernetes.io/metadata.name");
    EXPECT_EQ(expressions[0]["operator"], "NotIn");
    EXPECT_EQ(expressions[0]["values"],
              Json::array({"kube-system", kReleaseNamespace, "monitoring"}));
  }
}

TEST(ChartWebhookTest, StatusWritesAreCheckedInEveryNamespace) {
  // A workload may name a ModelVersion of another namespace, so no namespace may hold a
  // forged status.
  auto manifests = RenderChart(
      "--set webhook.excludedNamespaces={monitoring} "
      "--set-string 'webhook.namespaceMatchLabels.modelgate\\.io/enforce=true'");
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json webhook = StatusWebhook(Configuration(*manifests));
  ASSERT_FALSE(webhook.is_null());
  EXPECT_FALSE(webhook.contains("namespaceSelector")) << webhook.dump();
}

TEST(ChartWebhookTest, NamespaceMatchLabelsNarrowTheSelectorWithoutDroppingExclusions) {
  auto manifests =
      RenderChart("--set-string 'webhook.namespaceMatchLabels.modelgate\\.io/enforce=true'");
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  for (const Json& webhook : WorkloadWebhooks(Configuration(*manifests))) {
    SCOPED_TRACE(webhook.value("name", ""));
    EXPECT_EQ(webhook["namespaceSelector"]["matchLabels"],
              Json::parse(R"({"modelgate.io/enforce": "true"})"));
    EXPECT_EQ(webhook["namespaceSelector"]["matchExpressions"][0]["values"],
              Json::array({"kube-system", kReleaseNamespace}));
  }
}

TEST(ChartWebhookTest, RulesCoverEveryGuardedKindAndStatusWrites) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  std::set<std::string> expected = {"modelgate.io/modelversions/status UPDATE"};
  for (const std::string resource :
       {"/pods", "apps/deployments", "apps/statefulsets", "apps/daemonsets", "apps/replicasets",
        "batch/jobs", "batch/cronjobs", "serving.kserve.io/inferenceservices",
        "mlops.seldon.io/models"}) {
    expected.insert(resource + " CREATE");
    expected.insert(resource + " UPDATE");
  }
  EXPECT_EQ(Covered(Configuration(*manifests)), expected);
}

TEST(ChartWebhookTest, StatusWritesOfTheOperatorAreNotSent) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json status_webhook = StatusWebhook(Configuration(*manifests));
  ASSERT_FALSE(status_webhook.is_null());
  EXPECT_EQ(status_webhook["rules"][0]["resources"], Json::array({"modelversions/status"}));
  const Json conditions = status_webhook["matchConditions"];
  ASSERT_EQ(conditions.size(), 1u);
  EXPECT_EQ(conditions[0]["expression"].get<std::string>(),
            std::string("request.userInfo.username != '") + kOperatorUsername + "'");
  // The webhook itself refuses status writes from anyone but that same user.
  const Json webhook = Named(*manifests, "Deployment", "modelgate-webhook");
  const Json args = webhook["spec"]["template"]["spec"]["containers"][0]["args"];
  EXPECT_NE(std::find(args.begin(), args.end(),
                      "--operator-service-account=modelgate-system/modelgate-operator"),
            args.end())
      << args.dump();
  EXPECT_EQ(Named(*manifests, "Deployment",
                  "modelgate-operator")["spec"]["template"]["spec"]["serviceAccountName"],
            "modelgate-operator");
}

TEST(ChartWebhookTest, FailurePolicyAndTimeoutComeFromValues) {
  auto manifests = RenderChart("--set webhook.failurePolicy=Ignore --set webhook.timeoutSeconds=3");
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  // A range-for over a member of a temporary would outlive the temporary.
  const Json configuration = Configuration(*manifests);
  for (const Json& webhook : configuration["webhooks"]) {
    EXPECT_EQ(webhook["failurePolicy"], "Ignore");
    EXPECT_EQ(webhook["timeoutSeconds"], 3);
  }
}

TEST(ChartWebhookTest, ListPageSizeComesFromValues) {
  for (const auto& [flags, want] :
       {std::pair<std::string, std::string>{"", "25"}, {"--set webhook.listPageSize=100", "100"}}) {
    auto manifests = RenderChart(flags);
    ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
    const Json webhook = Named(*manifests, "Deployment", "modelgate-webhook");
    const Json args = webhook["spec"]["template"]["spec"]["containers"][0]["args"];
    EXPECT_NE(std::find(args.begin(), args.end(), "--list-page-size=" + want), args.end())
        << flags << ": " << args.dump();
  }
  auto refused = RenderChart("--set webhook.listPageSize=0");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("/webhook/listPageSize"), std::string::npos)
      << refused.status().message();
}

TEST(ChartWebhookTest, EveryWebhookCallsTheServiceThatFrontsTheWebhookPods) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json service = Named(*manifests, "Service", "modelgate-webhook");
  ASSERT_FALSE(service.is_null());
  const Json pod = Named(*manifests, "Deployment", "modelgate-webhook")["spec"]["template"];
  for (const auto& [key, value] : service["spec"]["selector"].items()) {
    EXPECT_EQ(Json(pod["metadata"]["labels"].value(key, "")), value) << key;
  }
  EXPECT_EQ(service["spec"]["ports"][0]["port"], 443);
  EXPECT_EQ(service["spec"]["ports"][0]["targetPort"], "https");
  EXPECT_EQ(pod["spec"]["containers"][0]["ports"][0]["name"], "https");
  const Json configuration = Configuration(*manifests);
  for (const Json& webhook : configuration["webhooks"]) {
    const Json target = webhook["clientConfig"]["service"];
    EXPECT_EQ(target["name"], "modelgate-webhook");
    EXPECT_EQ(target["namespace"], kReleaseNamespace);
    EXPECT_EQ(target["path"], "/validate");
    EXPECT_EQ(target["port"], 443);
  }
}

std::string WriteTemp(const std::string& contents) {
  char path[] = "/tmp/modelgate-ship-XXXXXX";
  const int fd = mkstemp(path);
  if (fd >= 0) close(fd);
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

std::string Decoded(const Json& base64) {
  Result<std::string> out = kube::DecodeBase64(base64.get<std::string>());
  return out.ok() ? *out : "";
}

TEST(ChartWebhookTest, GeneratedCaBundleSignsTheServingCertificateForTheService) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json secret = Named(*manifests, "Secret", "modelgate-webhook-tls");
  ASSERT_FALSE(secret.is_null());
  EXPECT_EQ(secret["type"], "kubernetes.io/tls");
  const std::string ca = Decoded(secret["data"]["ca.crt"]);
  const Json configuration = Configuration(*manifests);
  for (const Json& webhook : configuration["webhooks"]) {
    EXPECT_EQ(Decoded(webhook["clientConfig"]["caBundle"]), ca);
  }
  const std::string ca_file = WriteTemp(ca);
  const std::string cert_file = WriteTemp(Decoded(secret["data"]["tls.crt"]));
  const std::string key_file = WriteTemp(Decoded(secret["data"]["tls.key"]));
  // What the API server checks: the chain, and the name it dials (service.namespace.svc).
  auto verified =
      RunShell("openssl verify -CAfile " + ca_file + " -verify_hostname " +
               "modelgate-webhook.modelgate-system.svc -purpose sslserver " + cert_file);
  EXPECT_EQ(verified.exitCode, 0) << verified.output;
  // The key in the Secret belongs to the certificate.
  auto cert_key = RunShell("openssl x509 -noout -pubkey -in " + cert_file);
  auto key_pub = RunShell("openssl pkey -pubout -in " + key_file);
  EXPECT_EQ(cert_key.exitCode, 0) << cert_key.output;
  EXPECT_EQ(cert_key.output, key_pub.output);
  for (const std::string& f : {ca_file, cert_file, key_file}) unlink(f.c_str());
}

TEST(ChartWebhookTest, WebhookPodsMountTheSecretTheCertificatesAreIn) {
  for (const std::string flags : {"", "--set webhook.certManager.enabled=true"}) {
    auto manifests = RenderChart(flags);
    ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
    const Json pod = Named(*manifests, "Deployment", "modelgate-webhook")["spec"]["template"];
    const Json volumes = pod["spec"]["volumes"];
    bool mounted = false;
    for (const Json& v : volumes) {
      mounted |=
          v.value("secret", Json::object()).value("secretName", "") == "modelgate-webhook-tls";
    }
    EXPECT_TRUE(mounted) << flags;
  }
}

TEST(ChartWebhookTest, CertManagerInjectsTheCaOfTheServingCertificate) {
  auto manifests = RenderChart("--set webhook.certManager.enabled=true");
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json configuration = Configuration(*manifests);
  EXPECT_EQ(configuration["metadata"]["annotations"]["cert-manager.io/inject-ca-from"],
            "modelgate-system/modelgate-webhook");
  EXPECT_FALSE(Named(*manifests, "Certificate", "modelgate-webhook").is_null());
  for (const Json& webhook : configuration["webhooks"]) {
    EXPECT_FALSE(webhook["clientConfig"].contains("caBundle"));
  }
}

TEST(ChartWebhookTest, WebhooksAreTheOnesDeployWebhookRenders) {
  // deploy/webhook/ is the configuration the end-to-end tests register; the chart must send
  // the API server the same webhooks.
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json configuration = Configuration(*manifests);
  const std::string ca_file =
      WriteTemp(Decoded(configuration["webhooks"][0]["clientConfig"]["caBundle"]));
  auto rendered =
      RunShell(std::string(MODELGATE_SOURCE_DIR) + "/deploy/webhook/render.sh --ca-file " +
               ca_file + " --service modelgate-system/modelgate-webhook:443 --namespace " +
               kReleaseNamespace + " 2>/dev/null");
  unlink(ca_file.c_str());
  ASSERT_EQ(rendered.exitCode, 0) << rendered.output;
  Result<Json> reference = ParseYaml(rendered.output, "deploy/webhook/render.sh");
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  ASSERT_EQ(configuration["webhooks"].size(), (*reference)["webhooks"].size());
  for (size_t i = 0; i < configuration["webhooks"].size(); ++i) {
    EXPECT_EQ(configuration["webhooks"][i], (*reference)["webhooks"][i])
        << configuration["webhooks"][i].dump(2) << "\n---\n"
        << (*reference)["webhooks"][i].dump(2);
  }
}

}  // namespace
}  // namespace modelgate::ship
