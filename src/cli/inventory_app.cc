#include "cli/inventory_app.h"

#include <CLI/CLI.hpp>

#include "cli/app.h"

namespace vigil::cli {

void AddInventoryCommands(CLI::App& app, CommonOptions& options, InventoryArgs& a, int& code) {
  auto* inventory =
      app.add_subcommand("inventory", "devices the passive sensor observed on the network");
  inventory->require_subcommand(1);
  auto* list = OperatorCommand(inventory, "list", "list observed devices, most recently seen first",
                               "inventory.list", options, code,
                               {{"type", &a.type},
                                {"manufacturer", &a.manufacturer},
                                {"search", &a.search},
                                {"limit", &a.limit}});
  list->add_option("--type", a.type, "only this identified type, e.g. infusion_pump");
  list->add_option("--manufacturer", a.manufacturer, "only this manufacturer (any case)");
  list->add_option("--search", a.search,
                   "only devices whose id, name, address, MAC, manufacturer or model contains it");
  list->add_option("--limit", a.limit, "at most this many (default 1000)");
  auto* show = OperatorCommand(inventory, "show",
                               "one observed device with its evidence, services and findings",
                               "inventory.show", options, code, {{"id", &a.id}});
  show->add_option("ID", a.id, "observed device id, e.g. mac-001b2c3d4e5f")->required();
  auto* compare =
      OperatorCommand(inventory, "compare",
                      "observed devices no record matches, and registered devices not seen lately",
                      "inventory.compare", options, code, {{"days", &a.days}});
  compare->add_option("--days", a.days, "not seen for this many days (default 7)");
}

}  // namespace vigil::cli
