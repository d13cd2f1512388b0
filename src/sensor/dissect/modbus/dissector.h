#pragma once

// The Modbus/TCP stream dissector. Probe: the first payload is made of whole MBAP frames
// (protocol identifier 0, length 2..254, a function code below 128 or an exception) that end
// exactly at its end; any port (502 is the usual one). It reads every frame's header in both
// directions, reports each unit id, function and exception the first time it is seen, and the
// objects of a Read Device Identification response. It stops after kMaxFrames frames, at a
// gap, or at bytes that are not frames.
//
// Facts (subject the server, the Modbus device; peer the client that polls or commands it):
//   modbus.unit_id        a unit identifier addressed by a request (once per unit)
//   modbus.function       a function requested, by name (read_coils...; once per function)
//   modbus.write          "true" once a write (functions 5, 6, 15, 16, 21, 22, 23) is requested
//   modbus.diagnostics    a diagnostics (8) sub-function requested, as a number (once each)
//   modbus.exception      an exception response, "read_coils: illegal_data_address" (once each)
//   modbus.vendor_name    device identification object 0 (function 43, MEI 14)
//   modbus.product_code   object 1
//   modbus.revision       object 2, MajorMinorRevision
//   modbus.vendor_url     object 3
//   modbus.product_name   object 4
//   modbus.model_name     object 5
//
// Thread safety: a dissector belongs to one flow on the packet thread.

#include <cstddef>

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::modbus {

inline constexpr std::size_t kMaxFrames = 4096;  // Per connection, both directions.

const DissectorInfo& Info();

}  // namespace vigil::sensor::modbus
