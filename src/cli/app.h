#pragma once

// The `vigil` command line: parses arguments with CLI11 and runs one command. Returns the exit
// code (exit_codes.h). Never throws.

namespace vigil::cli {

int Run(int argc, char** argv);

}  // namespace vigil::cli
