// The subcommands of the modelgate binary. Each lives in its own <name>_command.cc and
// registers itself with a static CommandRegistration, so adding one touches no other file.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace modelgate::cmd {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;          // success; for validate/check: everything passed
inline constexpr int kExitFailed = 1;      // a gate failed / a workload would be denied
inline constexpr int kExitCannotRun = 2;   // bad usage, bad input, or an unreachable dependency

struct Command {
  std::string name;     // as typed: "version"
  std::string summary;  // one line for `modelgate --help`
  // Runs the command with the arguments after its name; returns the process exit code.
  std::function<int(const std::vector<std::string>& args)> run;
};

// The registered commands, sorted by name.
std::vector<Command> RegisteredCommands();

// Registers a command at static-initialisation time.
struct CommandRegistration {
  explicit CommandRegistration(Command command);
};

}  // namespace modelgate::cmd
