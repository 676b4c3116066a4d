// `modelgate version [-o text|json|yaml]`: what this binary is.
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/build_info.h"
#include "cmd/modelgate/command.h"

namespace modelgate::cmd {
namespace {

int RunVersion(const std::vector<std::string>& args) {
  std::string output = "text";
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      std::cout
          << "Print the version of modelgate.\n\nUsage:\n  modelgate version [-o text|json|yaml]\n";
      return kExitOk;
    } else if ((a == "-o" || a == "--output") && i + 1 < args.size()) {
      output = args[++i];
    } else if (a.rfind("--output=", 0) == 0) {
      output = a.substr(9);
    } else if (a.rfind("-o", 0) == 0 && a.size() > 2) {
      output = a.substr(2);
    } else {
      std::cerr << "modelgate version: unknown flag \"" << a << "\"\n";
      return kExitCannotRun;
    }
  }
  const BuildInfo info = GetBuildInfo();
  const nlohmann::json j = {{"version", info.version},
                            {"gitCommit", info.gitCommit},
                            {"compiler", info.compiler},
                            {"apiVersion", info.apiGroup}};
  if (output == "json") {
    std::cout << j.dump(2) << "\n";
  } else if (output == "yaml") {
    // Every value is a string, and a JSON string is a YAML double-quoted scalar.
    for (const auto& [key, value] : j.items()) std::cout << key << ": " << value.dump() << "\n";
  } else if (output == "text") {
    std::cout << "modelgate " << info.version << " (commit " << info.gitCommit << ", "
              << info.apiGroup << ", built with " << info.compiler << ")\n";
  } else {
    std::cerr << "modelgate version: --output must be text, json or yaml, not \"" << output
              << "\"\n";
    return kExitCannotRun;
  }
  return kExitOk;
}

const CommandRegistration kRegistration({"version", "Print the version of modelgate", RunVersion});

}  // namespace
}  // namespace modelgate::cmd
