#pragma once

// What every command shares: the configuration sources and how to turn them into a Config,
// with the command-line flags applied last; and how to report an error as an exit code.

#include <optional>
#include <string>

#include "config/config.h"
#include "core/result.h"

namespace vigil::cli {

struct CommonOptions {
  std::string config_file;     // --config; empty: <data dir>/vigil.toml if present.
  std::string data_dir;        // --data-dir
  std::string listen;          // --listen (serve only)
  std::string gateway_listen;  // --gateway-listen (serve only)
};

// Defaults, then the file, then VIGIL_* variables, then the flags. kInvalidArgument on a bad
// file (message names file and line); kNotFound if --config names a missing file.
Result<config::Config> ResolveConfig(const CommonOptions& options);

// Prints "vigil: <message>" to stderr and maps the error to an exit code.
int ReportError(const Error& error);

// Sets up spdlog (text or JSON lines on stderr) at the configured level.
void SetUpLogging(const config::LogConfig& log);

}  // namespace vigil::cli
