#include "core/net_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace vigil {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<MacAddress> MacError(std::string_view text) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "mac address: expected six hex bytes such as 00:1a:2b:3c:4d:5e, got '" +
                       std::string(text.substr(0, 64)) + "'");
}

}  // namespace

Result<MacAddress> MacAddress::Parse(std::string_view text) {
  std::array<std::uint8_t, 6> out{};
  if (text.size() == 17) {  // xx:xx:xx:xx:xx:xx or xx-xx-...
    const char sep = text[2];
    if (sep != ':' && sep != '-') return MacError(text);
    for (std::size_t i = 0; i < 6; ++i) {
      const std::size_t at = i * 3;
      if (i > 0 && text[at - 1] != sep) return MacError(text);
      const int hi = HexDigit(text[at]);
      const int lo = HexDigit(text[at + 1]);
      if (hi < 0 || lo < 0) return MacError(text);
      out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return MacAddress(out);
  }
  if (text.size() == 14 && text[4] == '.' && text[9] == '.') {  // xxxx.xxxx.xxxx
    std::size_t byte = 0;
    for (std::size_t group = 0; group < 3; ++group) {
      for (std::size_t k = 0; k < 4; k += 2) {
        const std::size_t at = group * 5 + k;
        const int hi = HexDigit(text[at]);
        const int lo = HexDigit(text[at + 1]);
        if (hi < 0 || lo < 0) return MacError(text);
        out[byte++] = static_cast<std::uint8_t>(hi << 4 | lo);
      }
    }
    return MacAddress(out);
  }
  return MacError(text);
}

std::string MacAddress::ToString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(17, ':');
  for (std::size_t i = 0; i < 6; ++i) {
    out[i * 3] = kHex[bytes_[i] >> 4];
    out[i * 3 + 1] = kHex[bytes_[i] & 0x0F];
  }
  return out;
}

std::uint32_t MacAddress::Oui() const {
  return static_cast<std::uint32_t>(bytes_[0]) << 16 | static_cast<std::uint32_t>(bytes_[1]) << 8 |
         bytes_[2];
}

IpAddress IpAddress::V4(std::uint32_t host_order) {
  return V4({static_cast<std::uint8_t>(host_order >> 24),
             static_cast<std::uint8_t>(host_order >> 16),
             static_cast<std::uint8_t>(host_order >> 8), static_cast<std::uint8_t>(host_order)});
}

IpAddress IpAddress::V4(const std::array<std::uint8_t, 4>& bytes) {
  IpAddress ip;
  ip.family_ = Family::kV4;
  std::copy(bytes.begin(), bytes.end(), ip.bytes_.begin());
  return ip;
}

IpAddress IpAddress::V6(const std::array<std::uint8_t, 16>& bytes) {
  IpAddress ip;
  ip.family_ = Family::kV6;
  ip.bytes_ = bytes;
  return ip;
}

Result<IpAddress> IpAddress::Parse(std::string_view text) {
  // inet_pton needs a terminated string; addresses are short, so bound the copy.
  if (text.empty() || text.size() > 45) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "ip address: '" + std::string(text.substr(0, 64)) + "' is not an address");
  }
  const std::string s(text);
  std::array<std::uint8_t, 16> buf{};
  if (s.find(':') == std::string::npos) {
    if (::inet_pton(AF_INET, s.c_str(), buf.data()) == 1) {
      return V4({buf[0], buf[1], buf[2], buf[3]});
    }
  } else if (::inet_pton(AF_INET6, s.c_str(), buf.data()) == 1) {
    return V6(buf);
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "ip address: '" + s + "' is not an IPv4 or IPv6 address");
}

std::span<const std::uint8_t> IpAddress::bytes() const {
  return {bytes_.data(), is_v4() ? std::size_t{4} : std::size_t{16}};
}

std::uint32_t IpAddress::v4_host_order() const {
  return static_cast<std::uint32_t>(bytes_[0]) << 24 | static_cast<std::uint32_t>(bytes_[1]) << 16 |
         static_cast<std::uint32_t>(bytes_[2]) << 8 | bytes_[3];
}

std::string IpAddress::ToString() const {
  if (is_v4()) {  // By hand: the sensor writes addresses in every record.
    std::string out;
    out.reserve(15);
    for (std::size_t i = 0; i < 4; ++i) {
      if (i > 0) out.push_back('.');
      std::uint8_t b = bytes_[i];
      if (b >= 100) out.push_back(static_cast<char>('0' + b / 100));
      if (b >= 10) out.push_back(static_cast<char>('0' + b / 10 % 10));
      out.push_back(static_cast<char>('0' + b % 10));
    }
    return out;
  }
  char buf[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof(buf));
  return buf;
}

Result<Cidr> Cidr::Make(const IpAddress& address, int prefix_length) {
  if (prefix_length < 0 || prefix_length > address.bit_length()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cidr: prefix length " + std::to_string(prefix_length) + " out of range 0-" +
                         std::to_string(address.bit_length()));
  }
  std::array<std::uint8_t, 16> bytes{};
  const auto in = address.bytes();
  for (std::size_t i = 0; i < in.size(); ++i) {
    const int bits_here = std::clamp(prefix_length - static_cast<int>(i) * 8, 0, 8);
    const auto mask = static_cast<std::uint8_t>(0xff00u >> bits_here);
    bytes[i] = static_cast<std::uint8_t>(in[i] & mask);
  }
  Cidr c;
  c.network_ = address.is_v4() ? IpAddress::V4({bytes[0], bytes[1], bytes[2], bytes[3]})
                               : IpAddress::V6(bytes);
  c.prefix_length_ = prefix_length;
  return c;
}

Result<Cidr> Cidr::Parse(std::string_view text) {
  const auto slash = text.find('/');
  auto address = IpAddress::Parse(text.substr(0, slash));
  if (!address) return MakeError(ErrorCode::kInvalidArgument, "cidr: " + address.error().message);
  if (slash == std::string_view::npos) return Make(*address, address->bit_length());
  const std::string_view len_text = text.substr(slash + 1);
  int len = -1;
  const auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (ec != std::errc() || end != len_text.data() + len_text.size() || len_text.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cidr: '" + std::string(len_text.substr(0, 16)) + "' is not a prefix length");
  }
  return Make(*address, len);
}

bool Cidr::Contains(const IpAddress& address) const {
  if (address.family() != network_.family()) return false;
  auto masked = Make(address, prefix_length_);
  return masked && masked->network_ == network_;
}

std::string Cidr::ToString() const {
  return network_.ToString() + "/" + std::to_string(prefix_length_);
}

}  // namespace vigil
