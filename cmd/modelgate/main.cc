// modelgate: one binary for the operator, the admission webhook and the CLI.
#include <algorithm>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cmd/modelgate/command.h"

namespace modelgate::cmd {
namespace {

std::map<std::string, Command>& Registry() {
  static std::map<std::string, Command> registry;
  return registry;
}

void PrintUsage(std::ostream& out) {
  out << "modelgate keeps ML models out of production until they pass their CI gates.\n\n"
         "Usage:\n  modelgate <command> [flags]\n\nCommands:\n";
  for (const Command& c : RegisteredCommands()) {
    out << "  " << c.name << std::string(c.name.size() < 10 ? 10 - c.name.size() : 1, ' ')
        << c.summary << "\n";
  }
  out << "\nRun 'modelgate <command> --help' for a command's flags.\n";
}

}  // namespace

CommandRegistration::CommandRegistration(Command command) {
  std::string name = command.name;
  Registry().emplace(std::move(name), std::move(command));
}

std::vector<Command> RegisteredCommands() {
  std::vector<Command> out;
  for (const auto& [name, command] : Registry()) out.push_back(command);
  return out;
}

}  // namespace modelgate::cmd

int main(int argc, char** argv) {
  using namespace modelgate::cmd;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    PrintUsage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? kExitCannotRun : kExitOk;
  }
  const std::vector<Command> commands = RegisteredCommands();
  auto it = std::find_if(commands.begin(), commands.end(),
                         [&](const Command& c) { return c.name == args[0]; });
  if (it == commands.end()) {
    std::cerr << "modelgate: unknown command \"" << args[0] << "\"\n\n";
    PrintUsage(std::cerr);
    return kExitCannotRun;
  }
  try {
    return it->run(std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const std::exception& e) {
    // Commands report errors as values; reaching this is a bug, but never a crash.
    std::cerr << "modelgate " << args[0] << ": internal error: " << e.what() << "\n";
    return kExitCannotRun;
  }
}
