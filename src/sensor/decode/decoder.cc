#include "sensor/decode/decoder.h"

#include <array>

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor {
namespace {

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherArp = 0x0806;
constexpr std::uint16_t kEtherIpv6 = 0x86DD;
constexpr std::uint16_t kEtherVlan = 0x8100;
constexpr std::uint16_t kEtherQinQ = 0x88A8;
constexpr std::uint16_t kEtherQinQOld = 0x9100;
constexpr std::uint16_t kMaxIeee8023Length = 1500;  // Type values above 1535 are EtherTypes.

MacAddress ReadMac(ByteReader& r) {
  std::array<std::uint8_t, 6> b{};
  auto s = r.Bytes(6);
  for (std::size_t i = 0; i < s.size(); ++i) b[i] = s[i];
  return MacAddress(b);
}

IpAddress ReadIpv4(ByteReader& r) {
  std::array<std::uint8_t, 4> b{};
  auto s = r.Bytes(4);
  for (std::size_t i = 0; i < s.size(); ++i) b[i] = s[i];
  return IpAddress::V4(b);
}

IpAddress ReadIpv6(ByteReader& r) {
  std::array<std::uint8_t, 16> b{};
  auto s = r.Bytes(16);
  for (std::size_t i = 0; i < s.size(); ++i) b[i] = s[i];
  return IpAddress::V6(b);
}

void DecodeTransport(std::span<const std::uint8_t> data, Packet& p, WeirdCounters& weird) {
  ByteReader r(data);
  switch (p.ip_protocol) {
    case kIpProtoTcp: {
      p.src_port = r.U16();
      p.dst_port = r.U16();
      p.tcp_seq = r.U32();
      p.tcp_ack = r.U32();
      std::uint8_t offset = r.U8() >> 4;
      p.tcp_flags = r.U8() & 0x3F;
      if (!r.ok()) return weird.Add(Weird::kTruncatedTcp);
      if (offset < 5) return weird.Add(Weird::kBadTcpDataOffset);
      std::size_t header = std::size_t{offset} * 4;
      if (header > data.size()) return weird.Add(Weird::kTruncatedTcp);
      p.has_transport = true;
      p.payload = data.subspan(header);
      return;
    }
    case kIpProtoUdp: {
      p.src_port = r.U16();
      p.dst_port = r.U16();
      std::uint16_t length = r.U16();
      if (!r.ok() || !r.Skip(2)) return weird.Add(Weird::kTruncatedUdp);
      if (length < 8) return weird.Add(Weird::kBadUdpLength);
      p.has_transport = true;
      // The UDP length may be shorter than the IP payload (padding) but never longer, unless
      // the capture cut the datagram (counted already as captured_short).
      std::size_t body = std::size_t{length} - 8;
      if (body > r.remaining()) {
        if (p.ip_length != 0 && data.size() + 8 < length) {
          weird.Add(Weird::kBadUdpLength);
        }
        body = r.remaining();
      }
      p.payload = r.Bytes(body);
      return;
    }
    case kIpProtoIcmp:
    case kIpProtoIcmpv6: {
      p.icmp_type = r.U8();
      p.icmp_code = r.U8();
      if (!r.ok() || !r.Skip(2)) return weird.Add(Weird::kTruncatedIcmp);
      p.has_transport = true;
      p.payload = r.rest();
      return;
    }
    default:
      p.payload = data;
      return;
  }
}

void DecodeIpv4(std::span<const std::uint8_t> data, Packet& p, WeirdCounters& weird) {
  ByteReader r(data);
  std::uint8_t version_ihl = r.U8();
  r.Skip(1);
  std::uint16_t total = r.U16();
  r.Skip(2);
  std::uint16_t flags_offset = r.U16();
  p.ttl = r.U8();
  p.ip_protocol = r.U8();
  r.Skip(2);
  p.src_ip = ReadIpv4(r);
  p.dst_ip = ReadIpv4(r);
  if (!r.ok()) return weird.Add(Weird::kTruncatedIpv4);
  p.network = Network::kIpv4;
  std::size_t header = std::size_t{static_cast<std::uint8_t>(version_ihl & 0x0F)} * 4;
  if (header < 20) return weird.Add(Weird::kBadIpv4HeaderLength);
  if (header > data.size()) return weird.Add(Weird::kTruncatedIpv4);
  if (total < header) return weird.Add(Weird::kBadIpv4TotalLength);
  p.ip_length = total;
  std::size_t end = total;
  if (end > data.size()) {
    weird.Add(Weird::kCapturedShort);
    end = data.size();
  }
  bool more_fragments = (flags_offset & 0x2000) != 0;
  std::uint16_t offset = flags_offset & 0x1FFF;
  if (more_fragments || offset != 0) {
    p.fragment = true;
    p.first_fragment = offset == 0;
    weird.Add(Weird::kIpFragment);
    if (offset != 0) {
      p.payload = data.subspan(header, end - header);
      return;
    }
  }
  DecodeTransport(data.subspan(header, end - header), p, weird);
}

void DecodeIpv6(std::span<const std::uint8_t> data, Packet& p, WeirdCounters& weird) {
  ByteReader r(data);
  r.Skip(4);
  std::uint16_t payload_length = r.U16();
  std::uint8_t next = r.U8();
  p.ttl = r.U8();
  p.src_ip = ReadIpv6(r);
  p.dst_ip = ReadIpv6(r);
  if (!r.ok()) return weird.Add(Weird::kTruncatedIpv6);
  p.network = Network::kIpv6;
  p.ip_length = 40u + payload_length;
  std::size_t end = p.ip_length;
  if (end > data.size()) {
    weird.Add(Weird::kCapturedShort);
    end = data.size();
  }
  ByteReader ext(data.subspan(40, end - 40));
  // RFC 8200 section 4: walk the extension headers, at most eight of them.
  for (int i = 0; i < 8; ++i) {
    switch (next) {
      case 0:      // Hop-by-hop options.
      case 43:     // Routing.
      case 60:     // Destination options.
      case 135:    // Mobility.
      case 139:    // HIP.
      case 140: {  // Shim6.
        std::uint8_t following = ext.U8();
        std::size_t length = (std::size_t{ext.U8()} + 1) * 8;
        if (!ext.ok() || !ext.Skip(length - 2)) return weird.Add(Weird::kTruncatedIpv6Extension);
        next = following;
        continue;
      }
      case 51: {  // Authentication header: length in 4-byte units, minus 2.
        std::uint8_t following = ext.U8();
        std::size_t length = (std::size_t{ext.U8()} + 2) * 4;
        if (!ext.ok() || !ext.Skip(length - 2)) return weird.Add(Weird::kTruncatedIpv6Extension);
        next = following;
        continue;
      }
      case 44: {  // Fragment.
        std::uint8_t following = ext.U8();
        ext.Skip(1);
        std::uint16_t offset_flags = ext.U16();
        ext.Skip(4);
        if (!ext.ok()) return weird.Add(Weird::kTruncatedIpv6Extension);
        p.fragment = true;
        p.first_fragment = (offset_flags & 0xFFF8) == 0;
        weird.Add(Weird::kIpFragment);
        next = following;
        if (!p.first_fragment) {
          p.ip_protocol = next;
          p.payload = ext.rest();
          return;
        }
        continue;
      }
      default:
        p.ip_protocol = next;
        DecodeTransport(ext.rest(), p, weird);
        return;
    }
  }
  weird.Add(Weird::kTruncatedIpv6Extension);
}

void DecodeIp(std::span<const std::uint8_t> data, Packet& p, WeirdCounters& weird) {
  if (data.empty()) return weird.Add(Weird::kTruncatedIpv4);
  switch (data[0] >> 4) {
    case 4:
      return DecodeIpv4(data, p, weird);
    case 6:
      return DecodeIpv6(data, p, weird);
    default:
      return weird.Add(Weird::kBadIpVersion);
  }
}

void DecodeArp(std::span<const std::uint8_t> data, Packet& p, WeirdCounters& weird) {
  ByteReader r(data);
  std::uint16_t hardware = r.U16();
  std::uint16_t protocol = r.U16();
  std::uint8_t hlen = r.U8();
  std::uint8_t plen = r.U8();
  if (!r.ok() || hardware != 1 || protocol != kEtherIpv4 || hlen != 6 || plen != 4) {
    return weird.Add(Weird::kTruncatedArp);
  }
  p.arp.operation = r.U16();
  p.arp.sender_mac = ReadMac(r);
  p.arp.sender_ip = ReadIpv4(r);
  p.arp.target_mac = ReadMac(r);
  p.arp.target_ip = ReadIpv4(r);
  if (!r.ok()) return weird.Add(Weird::kTruncatedArp);
  p.network = Network::kArp;
}

// Everything after the EtherType (or the LLC/SNAP header): ARP, IP, or another layer 2 payload.
void DecodeNetwork(std::span<const std::uint8_t> data, Packet& p, WeirdCounters& weird) {
  switch (p.ethertype) {
    case kEtherIpv4:
    case kEtherIpv6:
      return DecodeIp(data, p, weird);
    case kEtherArp:
      return DecodeArp(data, p, weird);
    default:
      p.network = Network::kOther;
      p.payload = data;
      return;
  }
}

bool DecodeEthernet(std::span<const std::uint8_t> frame, Packet& p, WeirdCounters& weird) {
  ByteReader r(frame);
  p.dst_mac = ReadMac(r);
  p.src_mac = ReadMac(r);
  std::uint16_t type = r.U16();
  if (!r.ok()) {
    weird.Add(Weird::kTruncatedLinkHeader);
    return false;
  }
  p.has_ethernet = true;
  int tags = 0;
  while (type == kEtherVlan || type == kEtherQinQ || type == kEtherQinQOld) {
    if (tags == 2) {
      weird.Add(Weird::kTooManyVlanTags);
      return true;
    }
    auto vlan = static_cast<std::uint16_t>(r.U16() & 0x0FFF);
    type = r.U16();
    if (!r.ok()) {
      weird.Add(Weird::kTruncatedVlanTag);
      return true;
    }
    (tags == 0 ? p.vlan : p.inner_vlan) = vlan;
    ++tags;
  }
  if (type <= kMaxIeee8023Length) {
    // IEEE 802.3 with a length: LLC, and SNAP when DSAP and SSAP are 0xAA (CDP, for one).
    std::size_t length = type < r.remaining() ? type : r.remaining();
    ByteReader llc(r.Bytes(length));
    std::uint8_t dsap = llc.U8();
    std::uint8_t ssap = llc.U8();
    std::uint8_t control = llc.U8();
    if (!llc.ok()) {
      weird.Add(Weird::kTruncatedLlc);
      return true;
    }
    if (dsap == 0xAA && ssap == 0xAA && control == 0x03) {
      p.snap_oui = llc.U24();
      p.ethertype = llc.U16();
      if (!llc.ok()) {
        weird.Add(Weird::kTruncatedLlc);
        return true;
      }
      p.llc_snap = true;
    }
    p.network = Network::kOther;
    p.payload = llc.rest();
    return true;
  }
  p.ethertype = type;
  DecodeNetwork(r.rest(), p, weird);
  return true;
}

// Linux cooked capture v1 (16 bytes) and v2 (20 bytes): the sender's address and the protocol.
bool DecodeSll(std::span<const std::uint8_t> frame, bool v2, Packet& p, WeirdCounters& weird) {
  ByteReader r(frame);
  std::uint16_t protocol = 0;
  std::uint16_t hardware = 0;
  std::uint8_t address_length = 0;
  if (v2) {
    protocol = r.U16();
    r.Skip(6);
    hardware = r.U16();
    r.Skip(1);
    address_length = r.U8();
  } else {
    r.Skip(2);
    hardware = r.U16();
    address_length = static_cast<std::uint8_t>(r.U16());
  }
  auto address = r.Bytes(8);
  if (!v2) protocol = r.U16();
  if (!r.ok()) {
    weird.Add(Weird::kTruncatedLinkHeader);
    return false;
  }
  if (hardware == 1 && address_length == 6) {  // ARPHRD_ETHER: the sender's MAC.
    std::array<std::uint8_t, 6> mac{};
    for (std::size_t i = 0; i < 6; ++i) mac[i] = address[i];
    p.src_mac = MacAddress(mac);
  }
  p.ethertype = protocol;
  DecodeNetwork(r.rest(), p, weird);
  return true;
}

}  // namespace

bool Decode(LinkType link, std::span<const std::uint8_t> frame, std::uint32_t wire_length,
            std::int64_t time_unix_nanos, Packet& out, WeirdCounters& weird) {
  out = Packet{};
  out.time_unix_nanos = time_unix_nanos;
  out.wire_length = wire_length;
  switch (link) {
    case LinkType::kEthernet:
      return DecodeEthernet(frame, out, weird);
    case LinkType::kLinuxSll:
      return DecodeSll(frame, false, out, weird);
    case LinkType::kLinuxSll2:
      return DecodeSll(frame, true, out, weird);
    case LinkType::kRawIp:
    case LinkType::kIpv4:
    case LinkType::kIpv6:
      if (frame.empty()) {
        weird.Add(Weird::kTruncatedLinkHeader);
        return false;
      }
      out.ethertype = (frame[0] >> 4) == 6 ? kEtherIpv6 : kEtherIpv4;
      DecodeIp(frame, out, weird);
      return true;
  }
  return false;
}

}  // namespace vigil::sensor
