// Telemetry bodies as a device sends them to POST /v1/telemetry (docs/formats/device-protocol.md),
// also used as the MQTT payload so that both servers receive the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace loadgen {

// {"points":[...]} with `points` infusion-rate points whose times are `first_ms`, `first_ms`+1,
// ... milliseconds since the epoch, padded with trailing spaces (valid JSON) to `min_bytes`.
std::string TelemetryBody(std::int64_t first_ms, int points, std::size_t min_bytes);

// Milliseconds since the epoch now.
std::int64_t NowMillis();

}  // namespace loadgen
