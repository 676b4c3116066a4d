// The operator and webhook Deployments: replicas and leader election, hardened pods, resource
// requests, probes on the ports the binary listens on, and only flags the binary accepts.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "operator/validation_job.h"
#include "tests/ship/rendered_chart.h"
#include "tests/support/subprocess.h"

namespace modelgate::ship {
namespace {

using Json = nlohmann::json;
using ::modelgate::testing::RunModelgate;

Json PodSpec(const std::vector<Json>& manifests, const std::string& deployment) {
  return Named(manifests, "Deployment", deployment)["spec"]["template"]["spec"];
}

Json Args(const std::vector<Json>& manifests, const std::string& deployment) {
  return PodSpec(manifests, deployment)["containers"][0]["args"];
}

bool HasArg(const Json& args, const std::string& arg) {
  return std::find(args.begin(), args.end(), arg) != args.end();
}

std::string ShellWords(const Json& args) {
  std::string out;
  for (const Json& a : args) out += " " + ShellQuote(a.get<std::string>());
  return out;
}

class ChartWorkloadsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ChartWorkloadsTest, PodsRunAsNonRootWithReadOnlyRootAndNoPrivileges) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json pod = PodSpec(*manifests, GetParam());
  ASSERT_FALSE(pod.is_null());
  EXPECT_EQ(pod["securityContext"]["runAsNonRoot"], true);
  EXPECT_EQ(pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault");
  // The image's USER and the validation pods' user: one identity everywhere.
  EXPECT_EQ(pod["securityContext"]["runAsUser"], op::ValidationJobOptions{}.run_as_user);
  EXPECT_FALSE(pod.value("hostNetwork", false));
  EXPECT_FALSE(pod.value("hostPID", false));
  ASSERT_EQ(pod["containers"].size(), 1u);
  EXPECT_FALSE(pod.contains("initContainers"));
  for (const Json& container : pod["containers"]) {
    const Json security = container["securityContext"];
    EXPECT_EQ(security["allowPrivilegeEscalation"], false);
    EXPECT_EQ(security["readOnlyRootFilesystem"], true);
    EXPECT_EQ(security["capabilities"]["drop"], Json::array({"ALL"}));
    EXPECT_FALSE(security["capabilities"].contains("add"));
    EXPECT_TRUE(container["resources"]["requests"].contains("cpu"));
    EXPECT_TRUE(container["resources"]["requests"].contains("memory"));
    EXPECT_TRUE(container["resources"]["limits"].contains("memory"));
  }
}

TEST_P(ChartWorkloadsTest, TwoReplicasSpreadAcrossNodes) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json deployment = Named(*manifests, "Deployment", GetParam());
  EXPECT_EQ(deployment["spec"]["replicas"], 2);
  const Json anti = deployment["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"];
  ASSERT_TRUE(anti.contains("preferredDuringSchedulingIgnoredDuringExecution")) << anti.dump();
  const Json term = anti["preferredDuringSchedulingIgnoredDuringExecution"][0]["podAffinityTerm"];
  EXPECT_EQ(term["topologyKey"], "kubernetes.io/hostname");
  EXPECT_EQ(term["labelSelector"]["matchLabels"], deployment["spec"]["selector"]["matchLabels"]);
}

TEST_P(ChartWorkloadsTest, ImageIsTheChartsAppVersionOfModelgate) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  auto version = RunModelgate("version -o json");
  ASSERT_EQ(version.exitCode, 0) << version.output;
  const std::string expected =
      "modelgate/modelgate:" + Json::parse(version.output)["version"].get<std::string>();
  EXPECT_EQ(PodSpec(*manifests, GetParam())["containers"][0]["image"], expected);
}

INSTANTIATE_TEST_SUITE_P(Deployments, ChartWorkloadsTest,
                         ::testing::Values("modelgate-operator", "modelgate-webhook"),
                         [](const auto& param_info) {
                           return param_info.param == "modelgate-operator" ? "Operator" : "Webhook";
                         });

TEST(ChartOperatorTest, OperatorElectsALeaderAndValidatesWithItsOwnImage) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json args = Args(*manifests, "modelgate-operator");
  EXPECT_EQ(args[0], "operator");
  EXPECT_TRUE(HasArg(args, "--leader-elect")) << args.dump();
  EXPECT_TRUE(HasArg(args, "--leader-election-namespace=modelgate-system")) << args.dump();
  EXPECT_TRUE(HasArg(args, "--validator-image=modelgate/modelgate:0.1.0")) << args.dump();
}

TEST(ChartOperatorTest, OperatorAcceptsEveryFlagTheChartPasses) {
  auto manifests = RenderChart("--set operator.watchNamespace=ml");
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  // `operator --help` parses every flag before it prints the usage; a flag it does not know,
  // or a value it refuses, exits 2.
  auto run = RunModelgate(ShellWords(Args(*manifests, "modelgate-operator")) + " --help");
  EXPECT_EQ(run.exitCode, 0) << run.output;
}

TEST(ChartOperatorTest, ProbesAndPortsMatchTheListenAddresses) {
  auto manifests = RenderChart("--set operator.metricsPort=9090 --set operator.healthPort=9091");
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json container = PodSpec(*manifests, "modelgate-operator")["containers"][0];
  EXPECT_TRUE(HasArg(container["args"], "--metrics-bind-address=:9090"));
  EXPECT_TRUE(HasArg(container["args"], "--health-probe-bind-address=:9091"));
  EXPECT_EQ(container["ports"][0], Json::parse(R"({"name": "metrics", "containerPort": 9090,
                                                   "protocol": "TCP"})"));
  EXPECT_EQ(container["ports"][1]["containerPort"], 9091);
  EXPECT_EQ(container["readinessProbe"]["httpGet"]["path"], "/readyz");
  EXPECT_EQ(container["readinessProbe"]["httpGet"]["port"], "health");
  EXPECT_EQ(container["livenessProbe"]["httpGet"]["path"], "/healthz");
}

TEST(ChartWebhookPodsTest, WebhookAcceptsEveryFlagTheChartPasses) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  // The webhook parses its flags first and then loads the certificate files, which do not
  // exist here: reaching that error means every flag was accepted.
  auto run = RunModelgate(ShellWords(Args(*manifests, "modelgate-webhook")));
  EXPECT_EQ(run.exitCode, 2) << run.output;
  EXPECT_NE(run.output.find("cannot load the serving certificate"), std::string::npos)
      << run.output;
  EXPECT_EQ(run.output.find("Usage:"), std::string::npos) << run.output;
}

TEST(ChartWebhookPodsTest, ReadinessWaitsForTheCachesOverHttps) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json container = PodSpec(*manifests, "modelgate-webhook")["containers"][0];
  EXPECT_EQ(container["readinessProbe"]["httpGet"]["path"], "/readyz");
  EXPECT_EQ(container["readinessProbe"]["httpGet"]["scheme"], "HTTPS");
  EXPECT_EQ(container["livenessProbe"]["httpGet"]["path"], "/healthz");
  EXPECT_TRUE(HasArg(container["args"], "--port=8443"));
  EXPECT_EQ(container["ports"][0]["containerPort"], 8443);
}

TEST(ChartWebhookPodsTest, DisruptionBudgetAndRolloutKeepAReplicaServing) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json deployment = Named(*manifests, "Deployment", "modelgate-webhook");
  const Json pdb = Named(*manifests, "PodDisruptionBudget", "modelgate-webhook");
  ASSERT_FALSE(pdb.is_null());
  EXPECT_EQ(pdb["spec"]["minAvailable"], 1);
  EXPECT_EQ(pdb["spec"]["selector"], deployment["spec"]["selector"]);
  EXPECT_EQ(deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"], 0);
}

TEST(ChartWebhookPodsTest, RequireDifferentNodesMakesAntiAffinityHard) {
  auto manifests = RenderChart("--set webhook.requireDifferentNodes=true");
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const Json anti = PodSpec(*manifests, "modelgate-webhook")["affinity"]["podAntiAffinity"];
  ASSERT_TRUE(anti.contains("requiredDuringSchedulingIgnoredDuringExecution")) << anti.dump();
  EXPECT_EQ(anti["requiredDuringSchedulingIgnoredDuringExecution"][0]["topologyKey"],
            "kubernetes.io/hostname");
}

}  // namespace
}  // namespace modelgate::ship
