#pragma once

// The operator commands for Vigil's sensors: sensor.add (argument "name": creates the sensor's
// record and a one-time enrolment token, printed with the command to run on the sensor),
// sensor.list, sensor.revoke ("id", "reason"). Part of RunOperatorCommand; audited as the
// device commands are (a sensor is a device record of type "sensor", docs/adr/0009).

#include <optional>

#include "server/operator_commands.h"

namespace vigil::server {

// nullopt when `request` is not one of these commands.
std::optional<Outcome> RunSensorCommand(Runtime& runtime, const CommandRequest& request,
                                        const LineSink& out, const LineSink& err);

}  // namespace vigil::server
