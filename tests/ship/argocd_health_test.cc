// The Argo CD health check for ModelVersion (charts/modelgate/argocd/modelversion-health.lua),
// run by Debian's Lua 5.1 (the language of Argo CD's gopher-lua) against ModelVersions in
// every state the operator writes, the way Argo CD runs it: the object in the global `obj`,
// the script's return value the health.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "api/yaml.h"
#include "tests/ship/rendered_chart.h"
#include "tests/support/subprocess.h"

namespace modelgate::ship {
namespace {

using Json = nlohmann::json;
using ::modelgate::testing::RunShell;

constexpr char kHealthScript[] = "charts/modelgate/argocd/modelversion-health.lua";

std::string LuaString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char escaped[5];
      std::snprintf(escaped, sizeof(escaped), "\\%03d", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// A Lua table constructor for `value`, as Argo CD hands objects to health scripts: JSON
// null becomes an absent field.
std::string LuaValue(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      std::string out = "{";
      for (const auto& [key, field] : value.items()) {
        if (field.is_null()) continue;
        out += "[" + LuaString(key) + "]=" + LuaValue(field) + ",";
      }
      return out + "}";
    }
    case Json::value_t::array: {
      std::string out = "{";
      for (const Json& item : value) out += LuaValue(item) + ",";
      return out + "}";
    }
    case Json::value_t::string:
      return LuaString(value.get<std::string>());
    case Json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case Json::value_t::null:
      return "nil";
    default:
      return value.dump();
  }
}

struct Health {
  std::string status;
  std::string message;
};

// Runs the health script on the ModelVersion in tests/ship/testdata/argocd/NAME.
Health HealthOf(const std::string& sample) {
  const std::string path = "tests/ship/testdata/argocd/" + sample;
  Result<Json> object = ParseYaml(ReadSourceFile(path), path);
  EXPECT_TRUE(object.ok()) << object.status().ToString();
  if (!object.ok()) return {};
  char harness[] = "/tmp/modelgate-argocd-XXXXXX";
  const int fd = mkstemp(harness);
  if (fd >= 0) close(fd);
  std::ofstream(harness) << "local check = assert(loadfile(arg[1]))\n"
                         << "obj = " << LuaValue(*object) << "\n"
                         << "local hs = check()\n"
                         << "io.write(hs.status, '\\n', hs.message or '')\n";
  auto run = RunShell("lua5.1 " + std::string(harness) + " " +
                      ShellQuote(std::string(MODELGATE_SOURCE_DIR) + "/" + kHealthScript));
  unlink(harness);
  EXPECT_EQ(run.exitCode, 0) << run.output << "\n(lua5.1 comes with scripts/setup.sh)";
  const size_t newline = run.output.find('\n');
  if (newline == std::string::npos) return {run.output, ""};
  return {run.output.substr(0, newline), run.output.substr(newline + 1)};
}

TEST(ArgoCdHealthTest, NewModelVersionWithoutStatusIsProgressing) {
  EXPECT_EQ(HealthOf("new.yaml").status, "Progressing");
}

TEST(ArgoCdHealthTest, PendingIsProgressingWithTheReason) {
  const Health h = HealthOf("pending.yaml");
  EXPECT_EQ(h.status, "Progressing");
  EXPECT_EQ(h.message, "Pending: gate data: waiting for a free validation Job slot");
}

TEST(ArgoCdHealthTest, ValidatingIsProgressing) {
  const Health h = HealthOf("validating.yaml");
  EXPECT_EQ(h.status, "Progressing");
  EXPECT_NE(h.message.find("gate quality"), std::string::npos) << h.message;
}

TEST(ArgoCdHealthTest, PassedIsHealthy) {
  const Health h = HealthOf("passed.yaml");
  EXPECT_EQ(h.status, "Healthy");
  EXPECT_EQ(h.message, "Passed: 4/4 gates passed");
}

TEST(ArgoCdHealthTest, FailedIsDegradedWithTheFailingGate) {
  const Health h = HealthOf("failed.yaml");
  EXPECT_EQ(h.status, "Degraded");
  EXPECT_EQ(h.message, "Failed: gate quality failed: auc 0.71 < threshold 0.80");
}

TEST(ArgoCdHealthTest, ErrorIsDegraded) {
  const Health h = HealthOf("error.yaml");
  EXPECT_EQ(h.status, "Degraded");
  EXPECT_NE(h.message.find("could not run"), std::string::npos) << h.message;
}

TEST(ArgoCdHealthTest, StatusOfAnOlderGenerationIsProgressingEvenWhenPassed) {
  const Health h = HealthOf("stale.yaml");
  EXPECT_EQ(h.status, "Progressing");
  EXPECT_NE(h.message.find("generation 3"), std::string::npos) << h.message;
}

TEST(ArgoCdHealthTest, UnknownPhaseIsUnknownRatherThanHealthy) {
  const Health h = HealthOf("unknown-phase.yaml");
  EXPECT_EQ(h.status, "Unknown");
  EXPECT_NE(h.message.find("Quarantined"), std::string::npos) << h.message;
}

}  // namespace
}  // namespace modelgate::ship
