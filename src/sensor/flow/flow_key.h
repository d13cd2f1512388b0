#pragma once

// FlowKey: what makes two packets part of one bidirectional flow: VLAN, IP protocol and the two
// (address, port) ends, stored in a canonical order (the smaller end first) so that both
// directions find the same key. FlowKeyHash hashes it for the flow table.

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/net_address.h"

namespace vigil::sensor {

struct FlowKey {
  IpAddress low_ip;
  IpAddress high_ip;
  std::uint16_t low_port = 0;
  std::uint16_t high_port = 0;
  std::uint16_t vlan = 0;
  std::uint8_t ip_protocol = 0;

  // The key of a packet from (src, sport) to (dst, dport); `src_is_low` says which end the
  // sender is in the canonical order.
  static FlowKey Make(std::uint16_t vlan, std::uint8_t protocol, const IpAddress& src,
                      std::uint16_t src_port, const IpAddress& dst, std::uint16_t dst_port,
                      bool& src_is_low) {
    src_is_low = src < dst || (src == dst && src_port <= dst_port);
    FlowKey k;
    k.vlan = vlan;
    k.ip_protocol = protocol;
    k.low_ip = src_is_low ? src : dst;
    k.high_ip = src_is_low ? dst : src;
    k.low_port = src_is_low ? src_port : dst_port;
    k.high_port = src_is_low ? dst_port : src_port;
    return k;
  }

  friend bool operator==(const FlowKey&, const FlowKey&) = default;
};

struct FlowKeyHash {
  std::size_t operator()(const FlowKey& k) const {
    std::uint64_t h = (std::uint64_t{k.low_port} << 48) | (std::uint64_t{k.high_port} << 32) |
                      (std::uint64_t{k.vlan} << 8) | k.ip_protocol;
    h = Mix(h ^ Word(k.low_ip, 0));
    h = Mix(h ^ Word(k.high_ip, 0));
    if (!k.low_ip.is_v4() || !k.high_ip.is_v4()) {
      h = Mix(h ^ Word(k.low_ip, 8));
      h = Mix(h ^ Word(k.high_ip, 8));
    }
    return static_cast<std::size_t>(h);
  }

 private:
  // Eight bytes of the address from `offset` (fewer for IPv4), zero-padded.
  static std::uint64_t Word(const IpAddress& ip, std::size_t offset) {
    auto b = ip.bytes();
    std::uint64_t v = 0;
    if (offset < b.size()) {
      std::size_t n = b.size() - offset < 8 ? b.size() - offset : 8;
      std::memcpy(&v, b.data() + offset, n);
    }
    return v;
  }
  // A 64-bit finaliser (splitmix64's).
  static std::uint64_t Mix(std::uint64_t x) {
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
};

}  // namespace vigil::sensor
