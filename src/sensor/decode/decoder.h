#pragma once

// Decode: fills a Packet from one captured frame (layer 2 to layer 4): Ethernet with up to two
// 802.1Q/802.1ad tags (QinQ), 802.3 LLC/SNAP, Linux cooked captures (SLL, SLL2), raw IP; ARP;
// IPv4 (fragments flagged, not reassembled); IPv6 with its extension headers; TCP, UDP, ICMP and
// ICMPv6. Pure: reads only `frame`, never allocates.
//
// Malformed input is counted in `weird` by reason and decoding stops at the layer that broke:
// the layers before it stay filled (a frame with a truncated TCP header still has its IP
// addresses). Returns false only when not even the link header could be read.

#include <cstdint>
#include <span>

#include "sensor/decode/packet.h"
#include "sensor/decode/weird.h"

namespace vigil::sensor {

bool Decode(LinkType link, std::span<const std::uint8_t> frame, std::uint32_t wire_length,
            std::int64_t time_unix_nanos, Packet& out, WeirdCounters& weird);

}  // namespace vigil::sensor
