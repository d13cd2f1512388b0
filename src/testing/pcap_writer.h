#pragma once

// Writes small classic pcap files for tests (nanosecond timestamps, little-endian), so sensor
// tests can make their own captures without fixtures. Frames are given as bytes; each is
// stamped one second after the previous, from `first_second`.

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace vigil::testing {

using FrameBytes = std::vector<std::uint8_t>;

// LINKTYPE_ETHERNET is 1; `cut` bytes are added to each frame's wire length, as if the snap
// length had cut them.
void WritePcap(const std::filesystem::path& path, std::uint32_t link_type,
               const std::vector<FrameBytes>& frames, std::uint32_t first_second = 1'700'000'000,
               std::uint32_t cut = 0);

// An Ethernet/IPv4/UDP frame between 10.0.0.1:sport and 10.0.0.2:dport carrying `payload`.
FrameBytes UdpFrame(std::uint16_t sport, std::uint16_t dport, const FrameBytes& payload);

// A DHCPREQUEST (RFC 2131) from 00:1b:2c:3d:4e:5f at 10.0.0.1 (an Ethernet/IPv4/UDP frame
// 68 -> 67) carrying message type 3 and then `options` (code, value) in order.
FrameBytes DhcpRequestFrame(const std::vector<std::pair<std::uint8_t, std::string>>& options);

// One TCP connection between 10.0.0.1:client_port and 10.0.0.2:server_port as Ethernet frames:
// the three-way handshake, each payload in segments of at most 1,460 bytes with consistent
// sequence and acknowledgement numbers, then FIN from both sides. `from_client` tells the
// direction of each payload.
struct TcpPayload {
  bool from_client = true;
  FrameBytes bytes;
};
std::vector<FrameBytes> TcpConversation(std::uint16_t client_port, std::uint16_t server_port,
                                        const std::vector<TcpPayload>& payloads);

}  // namespace vigil::testing
