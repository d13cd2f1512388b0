#pragma once

// The operator commands for the observed inventory: inventory.list (arguments "type",
// "manufacturer", "search", "limit"), inventory.show ("id": the device with its evidence,
// services, findings and recent flows) and inventory.compare ("days": observed devices that match
// no registered one, registered devices not seen for that many days, default 7). Read-only, so
// not audited. Part of RunOperatorCommand.

#include <optional>

#include "server/operator_commands.h"

namespace vigil::server {

// nullopt when `request` is not one of these commands.
std::optional<Outcome> RunInventoryCommand(Runtime& runtime, const CommandRequest& request,
                                           const LineSink& out, const LineSink& err);

}  // namespace vigil::server
