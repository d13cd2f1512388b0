#pragma once

// The operator commands for devices: device.add, device.list, device.types, device.show,
// device.enroll_token, device.revoke (arguments: "name", "type", "manufacturer", "model",
// "firmware", "criticality", "serial", "location", "id", "reason"). Part of RunOperatorCommand.

#include <optional>

#include "server/operator_commands.h"

namespace vigil::server {

// nullopt when `request` is not one of these commands.
std::optional<Outcome> RunDeviceCommand(Runtime& runtime, const CommandRequest& request,
                                        const LineSink& out, const LineSink& err);

}  // namespace vigil::server
