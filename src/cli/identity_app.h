#pragma once

// The `vigil user ...` and `vigil token ...` commands (docs/cli.md).

#include <map>
#include <string>
#include <vector>

#include "cli/options.h"

namespace CLI {
class App;
}

namespace vigil::cli {

// The parsed values; must outlive parsing (CLI11 writes into it).
struct IdentityArgs {
  std::string name, role, user, id, scopes, notes, seq;
  std::string days;
};

void AddIdentityCommands(CLI::App& app, CommonOptions& options, IdentityArgs& args, int& code);

}  // namespace vigil::cli
