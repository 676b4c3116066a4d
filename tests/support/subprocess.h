// Runs the built modelgate binary (or any shell command) and captures what it printed.
#pragma once

#include <string>

namespace modelgate::testing {

struct ProcessOutput {
  int exitCode = -1;   // the process's exit status, or -1 if it could not be started
  std::string output;  // stdout and stderr, interleaved
};

// Runs `command` through /bin/sh and waits for it.
ProcessOutput RunShell(const std::string& command);

// Runs the modelgate binary of this build with `args` (shell-quoted by the caller).
ProcessOutput RunModelgate(const std::string& args);

}  // namespace modelgate::testing
