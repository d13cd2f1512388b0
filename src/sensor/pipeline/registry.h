#pragma once

// The one table of the sensor's dissectors, in the order their probes are asked (more specific
// signatures first). A new protocol is added here and nowhere else.

#include <span>

#include "sensor/dissect/dissector.h"

namespace vigil::sensor {

std::span<const DissectorInfo> AllDissectors();

}  // namespace vigil::sensor
