// helm lint and helm template are clean for the chart's main configurations, and the values
// schema refuses mistakes before anything is rendered.
#include <gtest/gtest.h>

#include <string>

#include "tests/ship/rendered_chart.h"

namespace modelgate::ship {
namespace {

constexpr char kCertManagerOn[] = "--set webhook.certManager.enabled=true";
constexpr char kServiceMonitorOn[] = "--set metrics.serviceMonitor.enabled=true";

void ExpectLintClean(const std::string& value_flags) {
  Result<std::string> out = RunHelm("lint --strict " + ShellQuote(ChartDir()) + " --namespace " +
                                    kReleaseNamespace + " " + value_flags);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_NE(out->find("0 chart(s) failed"), std::string::npos) << *out;
  EXPECT_EQ(out->find("[WARNING]"), std::string::npos) << *out;
  EXPECT_EQ(out->find("[ERROR]"), std::string::npos) << *out;
}

TEST(ChartRenderTest, LintIsCleanWithDefaultValues) { ExpectLintClean(""); }

TEST(ChartRenderTest, LintIsCleanWithCertManager) { ExpectLintClean(kCertManagerOn); }

TEST(ChartRenderTest, LintIsCleanWithServiceMonitor) { ExpectLintClean(kServiceMonitorOn); }

TEST(ChartRenderTest, DefaultValuesRenderTheOperatorWebhookAndCrds) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  EXPECT_EQ(OfKind(*manifests, "CustomResourceDefinition").size(), 2u);
  EXPECT_FALSE(Named(*manifests, "Deployment", "modelgate-operator").is_null());
  EXPECT_FALSE(Named(*manifests, "Deployment", "modelgate-webhook").is_null());
  EXPECT_FALSE(Named(*manifests, "Service", "modelgate-webhook").is_null());
  EXPECT_FALSE(Named(*manifests, "PodDisruptionBudget", "modelgate-webhook").is_null());
  EXPECT_FALSE(Named(*manifests, "ValidatingWebhookConfiguration", "modelgate").is_null());
  EXPECT_FALSE(Named(*manifests, "Secret", "modelgate-webhook-tls").is_null());
  EXPECT_TRUE(OfKind(*manifests, "Certificate").empty());
  EXPECT_TRUE(OfKind(*manifests, "ServiceMonitor").empty());
}

TEST(ChartRenderTest, EveryNamespacedObjectLandsInTheReleaseNamespace) {
  auto manifests = RenderChart(std::string(kCertManagerOn) + " " + kServiceMonitorOn);
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  for (const nlohmann::json& m : *manifests) {
    const std::string kind = m.value("kind", "");
    if (kind == "CustomResourceDefinition" || kind.rfind("Cluster", 0) == 0 ||
        kind == "ValidatingWebhookConfiguration") {
      EXPECT_FALSE(m["metadata"].contains("namespace")) << kind;
      continue;
    }
    EXPECT_EQ(m["metadata"].value("namespace", ""), kReleaseNamespace)
        << kind << " " << m["metadata"].value("name", "");
  }
}

TEST(ChartRenderTest, EveryObjectCarriesTheReleaseLabels) {
  auto manifests = RenderChart(std::string(kCertManagerOn) + " " + kServiceMonitorOn);
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  for (const nlohmann::json& m : *manifests) {
    if (m.value("kind", "") == "CustomResourceDefinition") continue;
    const nlohmann::json labels = m["metadata"].value("labels", nlohmann::json::object());
    EXPECT_EQ(labels.value("app.kubernetes.io/instance", ""), kReleaseName)
        << m.value("kind", "") << " " << m["metadata"].value("name", "");
    EXPECT_EQ(labels.value("app.kubernetes.io/managed-by", ""), "Helm");
  }
}

TEST(ChartRenderTest, CertManagerReplacesTheGeneratedSecret) {
  auto manifests = RenderChart(kCertManagerOn);
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  EXPECT_TRUE(Named(*manifests, "Secret", "modelgate-webhook-tls").is_null());
  const nlohmann::json serving = Named(*manifests, "Certificate", "modelgate-webhook");
  ASSERT_FALSE(serving.is_null());
  EXPECT_EQ(serving["spec"]["secretName"], "modelgate-webhook-tls");
  EXPECT_EQ(serving["spec"]["issuerRef"]["name"], "modelgate-webhook-ca");
  const nlohmann::json ca = Named(*manifests, "Certificate", "modelgate-webhook-ca");
  ASSERT_FALSE(ca.is_null());
  EXPECT_EQ(ca["spec"]["isCA"], true);
  EXPECT_FALSE(Named(*manifests, "Issuer", "modelgate-selfsigned").is_null());
  EXPECT_EQ(Named(*manifests, "Issuer", "modelgate-webhook-ca")["spec"]["ca"]["secretName"],
            "modelgate-webhook-ca");
}

TEST(ChartRenderTest, CertManagerWithAnIssuerRefUsesItAlone) {
  auto manifests = RenderChart(std::string(kCertManagerOn) +
                               " --set webhook.certManager.issuerRef.name=corp-ca"
                               " --set webhook.certManager.issuerRef.kind=ClusterIssuer");
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  EXPECT_TRUE(OfKind(*manifests, "Issuer").empty());
  ASSERT_EQ(OfKind(*manifests, "Certificate").size(), 1u);
  const nlohmann::json ref = OfKind(*manifests, "Certificate")[0]["spec"]["issuerRef"];
  EXPECT_EQ(ref["name"], "corp-ca");
  EXPECT_EQ(ref["kind"], "ClusterIssuer");
}

TEST(ChartRenderTest, ServiceMonitorsScrapeBothComponents) {
  auto manifests = RenderChart(kServiceMonitorOn);
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  const nlohmann::json op = Named(*manifests, "ServiceMonitor", "modelgate-operator");
  ASSERT_FALSE(op.is_null());
  EXPECT_EQ(op["spec"]["endpoints"][0]["port"], "metrics");
  const nlohmann::json wh = Named(*manifests, "ServiceMonitor", "modelgate-webhook");
  ASSERT_FALSE(wh.is_null());
  EXPECT_EQ(wh["spec"]["endpoints"][0]["scheme"], "https");
  EXPECT_EQ(wh["spec"]["endpoints"][0]["tlsConfig"]["ca"]["secret"]["name"],
            "modelgate-webhook-tls");
  // Each monitor selects the Service that exposes the port it names.
  const nlohmann::json metrics = Named(*manifests, "Service", "modelgate-operator-metrics");
  ASSERT_FALSE(metrics.is_null());
  EXPECT_EQ(metrics["spec"]["ports"][0]["name"], "metrics");
  EXPECT_EQ(Named(*manifests, "Service", "modelgate-webhook")["spec"]["ports"][0]["name"], "https");
}

TEST(ChartRenderTest, SchemaRefusesAWrongTypeNamingTheField) {
  auto manifests = RenderChart("--set operator.replicas=two");
  ASSERT_FALSE(manifests.ok());
  EXPECT_NE(manifests.status().message().find("/operator/replicas"), std::string::npos)
      << manifests.status().message();
}

TEST(ChartRenderTest, SchemaRefusesAnUnknownKey) {
  auto manifests = RenderChart("--set webhook.failurepolicy=Ignore");
  ASSERT_FALSE(manifests.ok());
  EXPECT_NE(manifests.status().message().find("failurepolicy"), std::string::npos)
      << manifests.status().message();
}

TEST(ChartRenderTest, SchemaRefusesAnUnknownFailurePolicy) {
  auto manifests = RenderChart("--set webhook.failurePolicy=Allow");
  ASSERT_FALSE(manifests.ok());
  EXPECT_NE(manifests.status().message().find("/webhook/failurePolicy"), std::string::npos)
      << manifests.status().message();
}

}  // namespace
}  // namespace modelgate::ship
