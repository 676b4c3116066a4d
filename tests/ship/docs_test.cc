// The operations docs say only what the code does: the Argo CD health check in gitops.md is
// the tested file, the metrics in operations.md are the ones the components export (all of
// them), and the flags and chart values the docs name exist.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "api/yaml.h"
#include "tests/ship/rendered_chart.h"
#include "tests/support/subprocess.h"

namespace modelgate::ship {
namespace {

using ::modelgate::testing::RunModelgate;

const char* const kDocs[] = {"docs/gitops.md", "docs/operations.md", "docs/security.md"};

std::set<std::string> Matches(const std::string& text, const std::regex& pattern, int group = 0) {
  std::set<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
    out.insert((*it)[group].str());
  }
  return out;
}

// modelgate_* metric families named in `text`, histogram suffixes removed.
std::set<std::string> MetricNames(const std::string& text) {
  std::set<std::string> out;
  for (std::string name : Matches(text, std::regex("modelgate_[a-z_]*[a-z]"))) {
    for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
      if (name.size() > suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        name.resize(name.size() - suffix.size());
      }
    }
    out.insert(name);
  }
  return out;
}

TEST(DocsTest, GitopsShowsTheTestedArgoCdHealthCheckVerbatim) {
  const std::string lua = ReadSourceFile("charts/modelgate/argocd/modelversion-health.lua");
  ASSERT_FALSE(lua.empty());
  const std::string doc = ReadSourceFile("docs/gitops.md");
  EXPECT_NE(doc.find("```lua\n" + lua + "```\n"), std::string::npos)
      << "docs/gitops.md must show charts/modelgate/argocd/modelversion-health.lua as it is";
}

TEST(DocsTest, OperationsDocumentsExactlyTheExportedMetrics) {
  const std::string code = ReadSourceFile("operator/controller_metrics.cc") +
                           ReadSourceFile("webhook/admission_metrics.cc");
  const std::set<std::string> exported = MetricNames(code);
  ASSERT_GE(exported.size(), 9u);
  std::set<std::string> documented;
  for (const char* doc : kDocs) {
    for (const std::string& m : MetricNames(ReadSourceFile(doc))) documented.insert(m);
  }
  EXPECT_EQ(documented, exported);
}

TEST(DocsTest, EveryModelgateFlagTheDocsNameExists) {
  const std::string usage =
      RunModelgate("operator --help").output + RunModelgate("webhook --help").output;
  // Flags of helm and kubectl in the docs' command lines.
  const std::set<std::string> other_tools = {"--set", "--create-namespace"};
  for (const char* doc : kDocs) {
    for (const std::string& flag :
         Matches(ReadSourceFile(doc), std::regex("(^|[^a-z-])(--[a-z][a-z-]*)"), 2)) {
      if (other_tools.count(flag) != 0) continue;
      EXPECT_NE(usage.find(flag + " "), std::string::npos) << doc << " names " << flag;
    }
  }
}

TEST(DocsTest, EveryChartValueTheDocsNameExists) {
  Result<nlohmann::json> values =
      ParseYaml(ReadSourceFile("charts/modelgate/values.yaml"), "values.yaml");
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  for (const char* doc : kDocs) {
    for (const std::string& key : Matches(
             ReadSourceFile(doc),
             std::regex("\\b(?:operator|webhook|metrics|image)\\.[A-Za-z][A-Za-z.]*[A-Za-z]"))) {
      nlohmann::json::json_pointer pointer("/" + std::regex_replace(key, std::regex("\\."), "/"));
      EXPECT_TRUE(values->contains(pointer)) << doc << " names the value " << key;
    }
  }
}

}  // namespace
}  // namespace modelgate::ship
