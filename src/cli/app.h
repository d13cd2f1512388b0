#pragma once

// The `vigil` command line: parses arguments with CLI11 and runs one command. Returns the exit
// code (exit_codes.h). Never throws.

#include <string>
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace vigil::cli {

struct CommonOptions;
// Adds --data-dir and --config, which every command that works on a data directory takes.
void AddDataDir(CLI::App* cmd, CommonOptions& options);

// A subcommand `sub` of `parent` that runs the operator command `name` (server/
// operator_commands.h) with the arguments `keys` (name -> where CLI11 stores the value; empty
// values are left out), in this process or in the running server (commands.h Execute).
CLI::App* OperatorCommand(CLI::App* parent, const std::string& sub, const std::string& help,
                          const std::string& name, CommonOptions& options, int& code,
                          std::vector<std::pair<std::string, std::string*>> keys);

int Run(int argc, char** argv);

}  // namespace vigil::cli
