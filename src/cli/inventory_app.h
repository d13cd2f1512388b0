#pragma once

// The `vigil inventory ...` commands: the devices the passive sensor observed (docs/cli.md).

#include <string>

#include "cli/options.h"

namespace CLI {
class App;
}

namespace vigil::cli {

// The parsed values; must outlive parsing (CLI11 writes into it).
struct InventoryArgs {
  std::string id, type, manufacturer, search, limit, days;
};

void AddInventoryCommands(CLI::App& app, CommonOptions& options, InventoryArgs& args, int& code);

}  // namespace vigil::cli
