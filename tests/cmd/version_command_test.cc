#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/yaml.h"
#include "tests/support/subprocess.h"

namespace modelgate::cmd {
namespace {

using ::modelgate::testing::RunModelgate;

TEST(VersionCommandTest, PrintsVersionAsJson) {
  auto r = RunModelgate("version -o json");
  ASSERT_EQ(r.exitCode, 0) << r.output;
  nlohmann::json j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["version"], "0.1.0");
  EXPECT_EQ(j["apiVersion"], "modelgate.io/v1alpha1");
  EXPECT_FALSE(j["gitCommit"].get<std::string>().empty());
}

TEST(VersionCommandTest, PrintsVersionAsYamlWithTheFieldsOfJson) {
  auto yaml = RunModelgate("version -o yaml");
  ASSERT_EQ(yaml.exitCode, 0) << yaml.output;
  auto parsed = ParseYaml(yaml.output, "version -o yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, nlohmann::json::parse(RunModelgate("version -o json").output));
}

TEST(VersionCommandTest, RejectsUnknownOutputFormat) {
  auto r = RunModelgate("version -o xml");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.output.find("--output must be text, json or yaml"), std::string::npos) << r.output;
}

TEST(MainTest, UnknownCommandIsAUsageError) {
  auto r = RunModelgate("frobnicate");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.output.find("unknown command \"frobnicate\""), std::string::npos) << r.output;
}

}  // namespace
}  // namespace modelgate::cmd
