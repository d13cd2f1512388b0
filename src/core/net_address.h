#pragma once

// Network addresses as plain values: MacAddress (EUI-48), IpAddress (IPv4 or IPv6) and Cidr
// (a prefix such as 10.20.0.0/16 or fd00::/8). Parsing is strict and returns kInvalidArgument
// with the reason; values are comparable, hashable through their bytes, and thread-compatible.

#include <array>
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil {

class MacAddress {
 public:
  MacAddress() = default;
  explicit MacAddress(const std::array<std::uint8_t, 6>& bytes) : bytes_(bytes) {}

  // Accepts "00:1a:2b:3c:4d:5e", "00-1A-2B-3C-4D-5E" and Cisco's "001a.2b3c.4d5e".
  static Result<MacAddress> Parse(std::string_view text);

  std::string ToString() const;  // "00:1a:2b:3c:4d:5e"
  // The first three bytes, the IEEE organisationally unique identifier, as 0xAABBCC.
  std::uint32_t Oui() const;
  bool IsMulticast() const { return (bytes_[0] & 0x01) != 0; }
  // Locally administered (randomised by phones and laptops; no vendor can be inferred).
  bool IsLocallyAdministered() const { return (bytes_[0] & 0x02) != 0; }
  const std::array<std::uint8_t, 6>& bytes() const { return bytes_; }

  friend auto operator<=>(const MacAddress&, const MacAddress&) = default;

 private:
  std::array<std::uint8_t, 6> bytes_{};
};

class IpAddress {
 public:
  enum class Family : std::uint8_t { kV4, kV6 };

  IpAddress() = default;  // 0.0.0.0
  static IpAddress V4(std::uint32_t host_order);
  static IpAddress V4(const std::array<std::uint8_t, 4>& bytes);
  static IpAddress V6(const std::array<std::uint8_t, 16>& bytes);

  // Dotted quad or RFC 5952 / RFC 4291 text (with "::"; a zone "%eth0" is rejected).
  static Result<IpAddress> Parse(std::string_view text);

  std::string ToString() const;  // Canonical text (RFC 5952 for IPv6).
  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::kV4; }
  // The address bytes: 4 for IPv4, 16 for IPv6.
  std::span<const std::uint8_t> bytes() const;
  std::uint32_t v4_host_order() const;  // Only for IPv4.
  int bit_length() const { return is_v4() ? 32 : 128; }

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;

 private:
  Family family_ = Family::kV4;
  std::array<std::uint8_t, 16> bytes_{};  // IPv4 uses the first four bytes.
};

class Cidr {
 public:
  // "10.1.0.0/16", "fd00::/8"; a bare address is a host prefix (/32 or /128). Host bits set
  // below the prefix ("10.1.2.3/16") are cleared, as routers do.
  static Result<Cidr> Parse(std::string_view text);
  static Result<Cidr> Make(const IpAddress& address, int prefix_length);

  bool Contains(const IpAddress& address) const;
  std::string ToString() const;
  const IpAddress& network() const { return network_; }
  int prefix_length() const { return prefix_length_; }

  friend auto operator<=>(const Cidr&, const Cidr&) = default;

 private:
  IpAddress network_;
  int prefix_length_ = 0;
};

}  // namespace vigil
