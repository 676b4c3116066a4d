#include "tests/support/subprocess.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace modelgate::testing {

ProcessOutput RunShell(const std::string& command) {
  ProcessOutput result;
  std::string cmd = command + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) result.output.append(buf.data(), n);
  int status = pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

ProcessOutput RunModelgate(const std::string& args) {
  return RunShell(std::string(MODELGATE_BINARY) + " " + args);
}

}  // namespace modelgate::testing
