#pragma once

// The `vigil device ...` commands (docs/cli.md).

#include <string>

#include "cli/options.h"

namespace CLI {
class App;
}

namespace vigil::cli {

// The parsed values; must outlive parsing (CLI11 writes into it).
struct DeviceArgs {
  std::string id, name, type, manufacturer, model, firmware, criticality, serial, location, reason;
};

void AddDeviceCommands(CLI::App& app, CommonOptions& options, DeviceArgs& args, int& code);

}  // namespace vigil::cli
