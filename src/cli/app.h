#pragma once

// The `vigil` command line: parses arguments with CLI11 and runs one command. Returns the exit
// code (exit_codes.h). Never throws.

namespace CLI {
class App;
}

namespace vigil::cli {

struct CommonOptions;
// Adds --data-dir and --config, which every command that works on a data directory takes.
void AddDataDir(CLI::App* cmd, CommonOptions& options);

int Run(int argc, char** argv);

}  // namespace vigil::cli
