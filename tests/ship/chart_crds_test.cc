// The chart installs the CRDs of crds/, byte for byte: crds/ is the source of truth.
#include <dirent.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/ship/rendered_chart.h"

namespace modelgate::ship {
namespace {

std::set<std::string> YamlFilesIn(const std::string& relative_dir) {
  std::set<std::string> names;
  DIR* dir = opendir((std::string(MODELGATE_SOURCE_DIR) + "/" + relative_dir).c_str());
  if (dir == nullptr) return names;
  while (dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.size() > 5 && name.substr(name.size() - 5) == ".yaml") names.insert(name);
  }
  closedir(dir);
  return names;
}

TEST(ChartCrdsTest, ChartHoldsTheSameCrdFilesAsCrdsDirectory) {
  const std::set<std::string> source = YamlFilesIn("crds");
  ASSERT_FALSE(source.empty());
  EXPECT_EQ(YamlFilesIn("charts/modelgate/crds"), source);
}

TEST(ChartCrdsTest, ChartCrdsAreByteForByteTheSource) {
  for (const std::string& name : YamlFilesIn("crds")) {
    const std::string source = ReadSourceFile("crds/" + name);
    ASSERT_FALSE(source.empty()) << name;
    EXPECT_TRUE(ReadSourceFile("charts/modelgate/crds/" + name) == source)
        << "charts/modelgate/crds/" << name << " differs from crds/" << name
        << "; copy it: cp crds/*.yaml charts/modelgate/crds/";
  }
}

TEST(ChartCrdsTest, RenderedChartServesModelVersionsAndPolicies) {
  auto manifests = RenderChart();
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  EXPECT_FALSE(
      Named(*manifests, "CustomResourceDefinition", "modelversions.modelgate.io").is_null());
  EXPECT_FALSE(
      Named(*manifests, "CustomResourceDefinition", "modelgatepolicies.modelgate.io").is_null());
}

}  // namespace
}  // namespace modelgate::ship
