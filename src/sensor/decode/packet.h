#pragma once

// Packet: one captured frame decoded from layer 2 to layer 4, as plain values and spans into the
// captured bytes (which must outlive it). Filled by Decode() (decoder.h); read by the flow table
// and by the datagram and link-layer dissectors. Fields a frame does not have stay at their zero
// values and the has_* flags say which layers were found.

#include <cstdint>
#include <span>

#include "core/net_address.h"

namespace vigil::sensor {

// How the bytes of a capture begin (libpcap's DLT_* values map onto these in capture/).
enum class LinkType : std::uint8_t {
  kEthernet,   // DLT_EN10MB
  kLinuxSll,   // DLT_LINUX_SLL, "Linux cooked" v1
  kLinuxSll2,  // DLT_LINUX_SLL2
  kRawIp,      // DLT_RAW: IPv4 or IPv6 from the version nibble
  kIpv4,       // DLT_IPV4
  kIpv6,       // DLT_IPV6
};

enum class Network : std::uint8_t { kNone, kArp, kIpv4, kIpv6, kOther };

inline constexpr std::uint8_t kIpProtoIcmp = 1;
inline constexpr std::uint8_t kIpProtoTcp = 6;
inline constexpr std::uint8_t kIpProtoUdp = 17;
inline constexpr std::uint8_t kIpProtoIcmpv6 = 58;

inline constexpr std::uint8_t kTcpFin = 0x01;
inline constexpr std::uint8_t kTcpSyn = 0x02;
inline constexpr std::uint8_t kTcpRst = 0x04;
inline constexpr std::uint8_t kTcpPsh = 0x08;
inline constexpr std::uint8_t kTcpAck = 0x10;

struct ArpFields {
  std::uint16_t operation = 0;  // 1 request, 2 reply.
  MacAddress sender_mac;
  IpAddress sender_ip;
  MacAddress target_mac;
  IpAddress target_ip;
};

struct Packet {
  std::int64_t time_unix_nanos = 0;
  std::uint32_t wire_length = 0;  // Length on the wire (may exceed the captured bytes).

  // Layer 2. ethertype is the one after any VLAN tags; for an 802.3 frame with LLC/SNAP it is the
  // SNAP protocol id and snap_oui is set (CDP: OUI 0x00000c, protocol 0x2000).
  bool has_ethernet = false;
  MacAddress src_mac;
  MacAddress dst_mac;
  std::uint16_t ethertype = 0;
  bool llc_snap = false;
  std::uint32_t snap_oui = 0;
  std::uint16_t vlan = 0;        // Outermost 802.1Q/802.1ad VLAN id; 0 when untagged.
  std::uint16_t inner_vlan = 0;  // The second tag of a QinQ frame.

  // Layer 3.
  Network network = Network::kNone;
  ArpFields arp;
  IpAddress src_ip;
  IpAddress dst_ip;
  std::uint8_t ttl = 0;         // IPv4 TTL or IPv6 hop limit.
  std::uint32_t ip_length = 0;  // IP datagram length (header included), for byte counts.
  bool fragment = false;        // Part of a fragmented IP datagram (not reassembled).
  bool first_fragment = false;  // The fragment at offset 0, which carries layer 4 headers.

  // Layer 4. has_transport is false for non-first fragments and for truncated headers.
  std::uint8_t ip_protocol = 0;
  bool has_transport = false;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint8_t tcp_flags = 0;
  std::uint32_t tcp_seq = 0;
  std::uint32_t tcp_ack = 0;
  std::uint8_t icmp_type = 0;
  std::uint8_t icmp_code = 0;

  // The bytes after the innermost header decoded: the TCP or UDP payload, the ICMP body, or the
  // layer 2 payload of a frame that is not IP or ARP (LLDP, CDP). Only captured bytes.
  std::span<const std::uint8_t> payload;
};

}  // namespace vigil::sensor
