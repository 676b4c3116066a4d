#include "tests/ship/rendered_chart.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "api/yaml.h"
#include "tests/support/subprocess.h"

namespace modelgate::ship {
namespace {

using ::modelgate::testing::RunShell;

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

std::string ChartDir() { return std::string(MODELGATE_SOURCE_DIR) + "/charts/modelgate"; }

std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string ReadSourceFile(const std::string& relative_path) {
  std::ifstream in(std::string(MODELGATE_SOURCE_DIR) + "/" + relative_path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Result<std::string> HelmBinary() {
  static const testing::ProcessOutput found =
      RunShell(std::string(MODELGATE_SOURCE_DIR) + "/scripts/helm.sh --installed");
  if (found.exitCode != 0) return Status::Unavailable(Trim(found.output));
  return Trim(found.output);
}

Result<std::string> RunHelm(const std::string& args) {
  Result<std::string> helm = HelmBinary();
  if (!helm.ok()) return helm.status();
  char error_file[] = "/tmp/modelgate-helm-stderr-XXXXXX";
  const int fd = mkstemp(error_file);
  if (fd < 0) return Status::Internal("mkstemp failed");
  close(fd);
  // Braces keep helm's stderr apart from the YAML on stdout.
  testing::ProcessOutput run =
      RunShell("{ " + ShellQuote(*helm) + " " + args + " 2>" + error_file + "; }");
  std::ifstream errors(error_file);
  std::ostringstream error_text;
  error_text << errors.rdbuf();
  unlink(error_file);
  if (run.exitCode != 0) {
    return Status::Internal("helm " + args + " exited " + std::to_string(run.exitCode) + ": " +
                            error_text.str() + run.output);
  }
  return run.output;
}

Result<std::vector<nlohmann::json>> RenderChart(const std::string& value_flags) {
  Result<std::string> out =
      RunHelm(std::string("template ") + kReleaseName + " " + ShellQuote(ChartDir()) +
              " --namespace " + kReleaseNamespace + " --include-crds " + value_flags);
  if (!out.ok()) return out.status();
  return ParseYamlDocuments(*out, "helm template");
}

std::vector<nlohmann::json> OfKind(const std::vector<nlohmann::json>& manifests,
                                   const std::string& kind) {
  std::vector<nlohmann::json> out;
  for (const nlohmann::json& m : manifests) {
    if (m.is_object() && m.value("kind", "") == kind) out.push_back(m);
  }
  return out;
}

nlohmann::json Named(const std::vector<nlohmann::json>& manifests, const std::string& kind,
                     const std::string& name) {
  for (const nlohmann::json& m : OfKind(manifests, kind)) {
    if (m.contains("metadata") && m["metadata"].value("name", "") == name) return m;
  }
  return nullptr;
}

}  // namespace modelgate::ship
