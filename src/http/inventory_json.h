#pragma once

// The observed inventory as JSON for the REST API (docs/api/openapi.yaml, the Inventory*
// schemas): devices as the sensor found them, their flow history, peers and findings, and the
// comparison with the registered devices. Times are RFC 3339 with milliseconds, or null when 0;
// identified values are {"value","confidence"}, or null when nothing identified them.
//
// Thread safety: pure functions. Errors: none.

#include <nlohmann/json.hpp>
#include <optional>

#include "server/inventory_service.h"

namespace vigil::http {

// {"id","mac","macs","ip","names","manufacturer","device_type","model","firmware","protocols",
// "cleartext_protocols","vlan","first_seen","last_seen"}.
nlohmann::json InventorySummaryJson(const model::ObservedDevice& device);
// The summary plus "addresses", "evidence", "services", "peers", "facts" and
// "registered_device" ({"id","name","type"} or null).
nlohmann::json InventoryDetailJson(const model::ObservedDevice& device,
                                   const std::optional<store::DeviceRecord>& registered);
// One flow history row; `outbound` when the device is the client.
nlohmann::json InventoryFlowJson(const model::FlowAggregate& flow, bool outbound);
nlohmann::json InventoryPeerJson(const server::InventoryPeer& peer);
nlohmann::json InventoryFindingJson(const store::StoredFinding& finding);
// {"device":{"id","name","type","serial"},"observed_id","last_seen"}.
nlohmann::json NotSeenJson(const server::RegisteredNotSeen& entry);

}  // namespace vigil::http
