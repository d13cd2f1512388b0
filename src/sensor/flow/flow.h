#pragma once

// Flow: the flow table's record of one bidirectional conversation (see flow_table.h). Kept small
// because a million of them may be alive at once: the TCP reassembly and dissector state hang
// off `stream`, allocated only for flows whose bytes are being dissected.

#include <cstdint>
#include <memory>

#include "core/net_address.h"
#include "sensor/dissect/dissector.h"
#include "sensor/flow/flow_key.h"

namespace vigil::sensor {

struct StreamState;  // stream_state.h

// The fields every packet touches come first, so that a packet reads two cache lines of its
// flow: the key, flags and last time in the first, the counters and dissection state in the
// second; the list links, MACs and sequence numbers only now and then.
struct FlowTable::Flow {
  FlowKey key;
  std::uint8_t client_flags = 0;  // Every TCP flag each side has sent.
  std::uint8_t server_flags = 0;
  std::uint8_t list = 0;
  std::uint8_t probes_left = 4;  // UDP: payloads still to show the probes before giving up.
  std::uint8_t probed = 0;       // TCP: bit 0, the client's first payload was probed; bit 1,
                                 // the server's.
  bool client_is_low = true;
  bool has_client_mac = false;
  bool has_server_mac = false;
  bool linked = false;            // In one of the lists.
  bool dissection_over = false;   // No dissector, or it finished, or its buffer overflowed.
  bool finding_reported = false;  // UDP: a datagram dissector's finding was passed on.
  std::int64_t last = 0;
  std::uint64_t client_packets = 0;
  std::uint64_t client_bytes = 0;
  std::uint64_t server_packets = 0;
  std::uint64_t server_bytes = 0;
  std::int64_t listed = 0;  // Packet time when it was last moved to its list's head.
  std::int64_t start = 0;
  const DissectorInfo* application = nullptr;
  std::unique_ptr<StreamState> stream;
  std::uint64_t serial = 0;  // Creation order, for a stable order at the end of a capture.
  Flow* newer = nullptr;     // The list neighbours (see FlowTable::Touch).
  Flow* older = nullptr;
  MacAddress client_mac;
  MacAddress server_mac;
  std::uint32_t client_isn = 0;  // Sequence numbers of the SYNs (the stream starts after).
  std::uint32_t server_isn = 0;
};

}  // namespace vigil::sensor
